// `npm start`: the whole system on one machine. Whatever is not configured runs embedded:
// the Temporal dev server (data in ./data) and PGlite (data in ./data). Then migrations, demo data
// on first start only, the worker and the web server. Ctrl-C / SIGTERM stops every child.
import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { loadConfig } from './lib/config';
import { randomToken } from './lib/crypto';
import { closeDeps, createDeps } from './lib/deps';
import { ensureTemporalCli, run, startPglite, startTemporalDevServer, stopChild } from './lib/embedded/children';
import { createWorkerConnection } from './lib/temporal';
import { ensureRetentionScheduleAtStart } from './lib/archive/retentionSchedule';
import { installRedactingWorkerLog } from './lib/workerLog';
import { isSeeded, seedDemoData } from './prisma/seed';
import { startWebServer } from './web/server';
import { createWorker, runWorker } from './worker';
import { startWorkflowReconciler } from './lib/outbox/reconciler';

async function main(): Promise<void> {
  installRedactingWorkerLog();
  const env = loadConfig();
  const dataDir = resolve(env.DATA_DIR);
  mkdirSync(dataDir, { recursive: true });
  const config = loadConfig(process.env, { sessionSecret: env.SESSION_SECRET ?? persistentSecret(dataDir) });
  const children: ChildProcess[] = [];
  let shuttingDown = false;
  const stopChildren = () => Promise.all(children.map((c) => stopChild(c)));
  const fail = async (err: unknown) => {
    console.error(`Komet kunde inte starta: ${err instanceof Error ? err.message : String(err)}`);
    await stopChildren();
    process.exit(1);
  };
  process.once('SIGINT', () => void shutdown());
  process.once('SIGTERM', () => void shutdown());

  console.log(`Komet startar (${config.embedded ? 'inbäddat läge' : 'konfigurerat läge'}) …`);
  try {
    await Promise.all([
      process.env.DATABASE_URL
        ? Promise.resolve()
        : startPglite(dataDir, config.EMBEDDED_PG_PORT).then((c) => void children.push(c)),
      process.env.TEMPORAL_ADDRESS
        ? Promise.resolve()
        : ensureTemporalCli(resolve(config.TEMPORAL_CLI)).then(() =>
            startTemporalDevServer({
              cliPath: resolve(config.TEMPORAL_CLI),
              dataDir,
              port: config.EMBEDDED_TEMPORAL_PORT,
              uiPort: config.EMBEDDED_TEMPORAL_UI_PORT,
              namespace: config.TEMPORAL_NAMESPACE,
            }).then((c) => void children.push(c)),
          ),
    ]);
    await run(resolve('node_modules/.bin/prisma'), ['migrate', 'deploy'], { ...process.env, DATABASE_URL: config.databaseUrl });
  } catch (err) {
    return fail(err);
  }

  const deps = await createDeps(config);
  if (!(await isSeeded(deps.db))) {
    await seedDemoData(deps.db);
    console.log('Demodata inlästa (första start).');
  }
  const connection = await createWorkerConnection(config);
  const worker = await createWorker({ deps, connection, taskQueue: config.TEMPORAL_TASK_QUEUE });
  const workerRun = runWorker(worker, deps);
  workerRun.catch(fail);
  await ensureRetentionScheduleAtStart(deps.temporal, config.TEMPORAL_TASK_QUEUE);
  startWorkflowReconciler({ db: deps.db, temporal: deps.temporal, taskQueue: config.TEMPORAL_TASK_QUEUE }); // issue 14; unref'd timer
  const server = await startWebServer(deps, { health: async () => worker.getState() === 'RUNNING' });

  console.log(`
Komet körs.
  Webbplats:        ${config.publicUrl}
  Personal:         ${config.publicUrl}/personal
  Utvecklarinkorg:  ${config.publicUrl}/dev/inbox${config.embedded ? '' : ' (endast inbäddat läge)'}
  Hälsa:            ${config.publicUrl}/health
  API (OpenAPI):    ${config.publicUrl}/api/openapi.json${
    process.env.TEMPORAL_ADDRESS ? '' : `\n  Temporal UI:      http://127.0.0.1:${config.EMBEDDED_TEMPORAL_UI_PORT}`
  }
Demokonton (logga in med e-post, länken visas i utvecklarinkorgen):
  gruppledare.sodermalm@komet.example, gruppledare.rinkeby@komet.example,
  guide@komet.example (webbkursen), instruktor@komet.example (utbildningen),
  admin@komet.example, central@komet.example
Stoppa med Ctrl-C.`);

  async function shutdown(): Promise<void> {
    if (shuttingDown) return;
    shuttingDown = true;
    console.log('\nKomet stannar …');
    server.close();
    worker.shutdown();
    await workerRun.catch(() => {});
    await connection.close().catch(() => {});
    await closeDeps(deps).catch(() => {});
    await stopChildren();
    process.exit(0);
  }
}

/** Sessions survive a restart in embedded mode: the secret lives beside the data. */
function persistentSecret(dataDir: string): string {
  const file = resolve(dataDir, 'session-secret');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  const secret = randomToken(48);
  writeFileSync(file, secret, { mode: 0o600 });
  return secret;
}

main().catch((err) => {
  console.error('Komet stoppade:', err instanceof Error ? err.message : err);
  process.exit(1);
});
