// The web server role. `npm run web` runs it alone (production, any number of processes); the
// embedded launcher runs it as its own supervised child process (KOMET_SUPERVISED=1), beside the
// worker: it then serves on the socket the launcher hands it (web/health/supervised.ts).
import { createAdaptorServer, serve, type ServerType } from '@hono/node-server';
import type { Server } from 'node:net';
import { loadConfig } from '../lib/config';
import { closeDeps, createDeps, type Deps } from '../lib/deps';
import { isMainModule } from '../lib/isMain';
import { createApp, type AppOptions } from './app';
import { followLauncher } from './health/supervised';

export function startWebServer(deps: Deps, options: AppOptions = {}): Promise<ServerType> {
  const app = createApp(deps, options);
  return new Promise((resolve) => {
    const server = serve({ fetch: app.fetch, port: deps.config.PORT, hostname: deps.config.HOST }, () => resolve(server));
  });
}

async function main(): Promise<void> {
  const config = loadConfig();
  const deps = await createDeps(config);
  const supervised = process.env.KOMET_SUPERVISED === '1' && process.send ? superviseWeb(deps) : null;
  const server = supervised ?? (await startWebServer(deps));
  if (!supervised) console.log(`Komet web listening on ${config.publicUrl}`);
  const stop = () => server.close(() => void closeDeps(deps).then(() => process.exit(0)));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  // The launcher went (even by kill -9): this process goes too, rather than serve on alone.
  if (supervised) process.once('disconnect', () => process.exit(0));
}

/** Builds the app, says "ready", and starts serving on the socket the launcher sends. */
function superviseWeb(deps: Deps): ServerType {
  let server: ServerType | undefined;
  const supervisedStates = followLauncher((handle: Server) => {
    server!.listen(handle, () => process.send?.({ type: 'listening' }));
  });
  const app = createApp(deps, { supervised: supervisedStates });
  server = createAdaptorServer({ fetch: app.fetch });
  process.send?.({ type: 'ready' });
  return server;
}

if (isMainModule(import.meta.url)) {
  main().catch((err) => {
    console.error('Web server stopped:', err instanceof Error ? err.message : err);
    process.exit(1);
  });
}
