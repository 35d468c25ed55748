// The web server role. `npm run web` runs it alone (production, any number of processes);
// the embedded launcher runs it in-process beside the worker.
import { serve, type ServerType } from '@hono/node-server';
import { loadConfig } from '../lib/config';
import { closeDeps, createDeps, type Deps } from '../lib/deps';
import { isMainModule } from '../lib/isMain';
import { createApp, type AppOptions } from './app';

export function startWebServer(deps: Deps, options: AppOptions = {}): Promise<ServerType> {
  const app = createApp(deps, options);
  return new Promise((resolve) => {
    const server = serve({ fetch: app.fetch, port: deps.config.PORT, hostname: deps.config.HOST }, () => resolve(server));
  });
}

async function main(): Promise<void> {
  const config = loadConfig();
  const deps = await createDeps(config);
  const server = await startWebServer(deps);
  console.log(`Komet web listening on ${config.publicUrl}`);
  const stop = () => server.close(() => void closeDeps(deps).then(() => process.exit(0)));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

if (isMainModule(import.meta.url)) {
  main().catch((err) => {
    console.error('Web server stopped:', err instanceof Error ? err.message : err);
    process.exit(1);
  });
}
