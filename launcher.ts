// `npm start`: the whole system on one machine. Whatever is not configured runs embedded: a real
// PostgreSQL server (./data/postgres) and the Temporal dev server (./data/temporal.db). Then
// migrations and the demo data (first start only), then the worker and the web server, each its
// own process. Every child is supervised: one that dies is logged and started again with backoff,
// and meanwhile the port answers "Tjänsten startar om" and /health names what is down.
// Ctrl-C / SIGTERM stops every child.
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { ChildProcess } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import { setPriority } from 'node:os';
import { resolve } from 'node:path';
import { getRequestListener } from '@hono/node-server';
import { loadConfig, type Config } from './lib/config';
import { randomToken } from './lib/crypto';
import { createDb } from './lib/db';
import { nextMessage, run, startNodeRole, startTemporalDevServer } from './lib/embedded/children';
import { ensureCluster, postgresBinaries, refusePgliteLeftover, startPostgres } from './lib/embedded/postgres';
import { stopProcess, Supervisor, type Part } from './lib/embedded/supervisor';
import { discoverTemporalCli } from './lib/embedded/temporalCli';
import { isSeeded, seedDemoData } from './prisma/seed';
import { createRestartingApp } from './web/health/restartingApp';

async function main(): Promise<void> {
  const env = loadConfig();
  const dataDir = resolve(env.DATA_DIR);
  mkdirSync(dataDir, { recursive: true });
  const sessionSecret = env.SESSION_SECRET ?? persistentSecret(dataDir);
  const config = loadConfig(process.env, { sessionSecret });
  console.log(`Komet startar (${config.embedded ? 'inbäddat läge' : 'konfigurerat läge'}) …`);

  // The port answers from the first moment: "restarting" until the web server takes it over.
  let supervisor: Supervisor | undefined;
  const fallback = new Fallback(config, () => supervisor?.states() ?? {});
  await fallback.listen();

  const parts: Part[] = [];
  if (!process.env.DATABASE_URL) {
    refusePgliteLeftover(dataDir);
    const bins = postgresBinaries();
    await ensureCluster(dataDir, bins);
    parts.push({ name: 'database', start: () => startPostgres(dataDir, config.EMBEDDED_PG_PORT, bins), stop: (c) => stopProcess(c, 10_000, 'SIGINT') });
  }
  if (!process.env.TEMPORAL_ADDRESS) {
    const cli = await discoverTemporalCli();
    parts.push({
      name: 'temporal',
      start: () =>
        startTemporalDevServer({
          cliPath: cli.path,
          dataDir,
          port: config.EMBEDDED_TEMPORAL_PORT,
          uiPort: config.EMBEDDED_TEMPORAL_UI_PORT,
          namespace: config.TEMPORAL_NAMESPACE,
        }),
    });
  }
  // Web and worker get the same configuration; the worker's first start bundles the workflow code
  // for the restarts of this run (worker.ts).
  const bundleCache = resolve(dataDir, 'workflow-bundle.js');
  rmSync(bundleCache, { force: true });
  const roleEnv: NodeJS.ProcessEnv = { ...process.env, SESSION_SECRET: sessionSecret, KOMET_SUPERVISED: '1', KOMET_WORKFLOW_BUNDLE_CACHE: bundleCache };
  parts.push({ name: 'worker', start: () => startNodeRole(resolve('worker.ts'), roleEnv, 'Workern').then(backgroundPriority) });
  parts.push({ name: 'web', start: () => fallback.handOver(startNodeRole(resolve('web/server.ts'), roleEnv, 'Webbservern')) });

  supervisor = new Supervisor(parts);
  // Cases acknowledged while Temporal was down get their workflow as soon as it is back.
  supervisor.on('restarted', (part) => part === 'temporal' && supervisor!.child('worker')?.send({ type: 'reconcile' }, () => {}));
  supervisor.on('change', (states) => {
    supervisor!.child('web')?.send({ type: 'parts', states }, () => {});
    if (states.web !== 'up') void fallback.listen();
  });
  let stopping = false;
  const shutdown = async (code: number) => {
    if (stopping) return;
    stopping = true;
    console.log('\nKomet stannar …');
    await supervisor!.stopAll();
    await fallback.close();
    process.exit(code);
  };
  process.once('SIGINT', () => void shutdown(0));
  process.once('SIGTERM', () => void shutdown(0));

  try {
    await Promise.all(parts.filter((p) => p.name === 'database' || p.name === 'temporal').map((p) => supervisor!.startPart(p.name)));
    await run(resolve('node_modules/.bin/prisma'), ['migrate', 'deploy'], { ...process.env, DATABASE_URL: config.databaseUrl });
    await seedOnFirstStart(config);
    await supervisor.startPart('worker');
    await supervisor.startPart('web');
  } catch (err) {
    console.error(`Komet kunde inte starta: ${err instanceof Error ? err.message : String(err)}`);
    return shutdown(1);
  }

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
}

async function seedOnFirstStart(config: Config): Promise<void> {
  const db = createDb(config.databaseUrl, 2);
  try {
    if (!(await isSeeded(db))) {
      await seedDemoData(db);
      console.log('Demodata inlästa (första start).');
    }
  } finally {
    await db.$disconnect();
  }
}

/**
 * The launcher's own answer on the web port (web/health/restartingApp.ts), listening whenever the
 * web server is not. The web server takes the very socket over (sent through IPC), so no request
 * is refused at the hand-over; when it dies the socket closes with it and this listens again.
 */
class Fallback {
  private server: Server | null = null;
  private listening: Promise<void> | null = null;
  private readonly listener;

  constructor(
    private readonly config: Config,
    states: () => Partial<ReturnType<Supervisor['states']>>,
  ) {
    this.listener = getRequestListener(createRestartingApp(config, states).fetch);
  }

  listen(): Promise<void> {
    if (this.listening) return this.listening;
    const server = createServer(this.listener);
    this.server = server;
    this.listening = new Promise<void>((ok, fail) => {
      const attempt = (left: number) => {
        server.once('error', (err: NodeJS.ErrnoException) => {
          // The dead web server's socket may take a moment to close.
          if (err.code === 'EADDRINUSE' && left > 0) setTimeout(() => attempt(left - 1), 50);
          else fail(new Error(`Porten ${this.config.PORT} är upptagen (${err.code})`));
        });
        server.listen(this.config.PORT, this.config.HOST, () => ok());
      };
      attempt(40);
    });
    return this.listening;
  }

  /** Once the web server is ready: it gets the socket, starts serving, and this one stops. */
  async handOver(started: Promise<ChildProcess>): Promise<ChildProcess> {
    const child = await started;
    await this.listen();
    const serving = nextMessage(child, 'listening', 'Webbservern', 30_000);
    child.send({ type: 'listen' }, this.server!);
    try {
      await serving;
    } catch (err) {
      child.kill('SIGKILL');
      throw err;
    }
    await this.close();
    return child;
  }

  async close(): Promise<void> {
    const server = this.server;
    this.server = null;
    this.listening = null;
    if (!server) return;
    await new Promise<void>((ok) => {
      server.close(() => ok());
      server.closeAllConnections();
    });
  }
}

/**
 * On one machine the people waiting for a page come before the cases' background steps: the
 * worker runs at a lower CPU priority (nice 10), so a burst of new cases (each a workflow with its
 * notices) does not slow the submissions and pages that started them. The worker's steps are
 * durable in Temporal and only wait; the bench's end-to-end figure shows what they wait.
 */
const WORKER_NICENESS = 10;
function backgroundPriority(child: ChildProcess): ChildProcess {
  try {
    // Linux sets a priority per thread, and the worker's threads (V8's, libuv's, the Temporal core's
    // runtime) exist by now: each is lowered; threads started later inherit it.
    const tasks = `/proc/${child.pid}/task`;
    for (const tid of existsSync(tasks) ? readdirSync(tasks).map(Number) : [child.pid!]) setPriority(tid, WORKER_NICENESS);
  } catch (err) {
    console.warn(`Workerns prioritet kunde inte sänkas (${(err as Error).message}); den körs som webbservern.`);
  }
  return child;
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
