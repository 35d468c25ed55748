// The bench's own Komet (launcher.ts) on its own ports and a fresh data directory, so it never
// touches a developer's running system or ./data. Embedded (its own PostgreSQL server in the fresh
// data directory) unless given a database URL, then that PostgreSQL. Stopped with SIGTERM, then SIGKILL.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createServer } from 'node:net';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(fileURLToPath(new URL('..', import.meta.url)));
/** The launcher's whole output, one file per target (gitignored as *.log); the console only gets a summary. */
const launcherLog = (databaseUrl?: string) => join(ROOT, 'bench', databaseUrl ? 'launcher-postgres.log' : 'launcher.log');
const HEALTH_TIMEOUT_MS = 120_000;
const STOP_GRACE_MS = 15_000;
const LOG_TAIL_LINES = 40;

export const PORTS = { web: 3310, pg: 5510, temporal: 7310, temporalUi: 8310 } as const;

export interface Instance {
  /** The launcher's process, leader of the group its children run in. */
  pid: number;
  baseUrl: string;
  databaseUrl: string;
  temporalAddress: string;
  /** Why the launcher is gone if it exited by itself; null while it runs. */
  exitReason(): string | null;
  /** Idempotent: safe to call from the error path and the signal handler alike. */
  stop(): Promise<void>;
  logTail(): string;
  /** Where the launcher's whole output goes. */
  logFile: string;
  /** The web server's `[web] … failed: …` lines, counted by text (the app logs every 500 so). */
  serverErrors(): Map<string, number>;
}

export interface InstanceOptions {
  /** A PostgreSQL database for the instance (production-like); absent: the embedded PostgreSQL. */
  databaseUrl?: string;
}

/** Fails fast when a port is taken: another bench run (or its leftovers) would answer for this one. */
async function ensurePortsFree(): Promise<void> {
  for (const port of Object.values(PORTS)) {
    const free = await new Promise<boolean>((ok) => {
      const probe = createServer();
      probe.once('error', () => ok(false));
      probe.listen(port, '127.0.0.1', () => probe.close(() => ok(true)));
    });
    if (!free) throw new Error(`Port ${port} is in use: another bench run, or what one left behind, is still running (ports ${Object.values(PORTS).join('/')}).`);
  }
}

export async function startInstance({ databaseUrl }: InstanceOptions = {}): Promise<Instance> {
  await ensurePortsFree();
  const dataDir = mkdtempSync(join(tmpdir(), 'komet-bench-'));
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: String(PORTS.web),
    HOST: '127.0.0.1',
    EMBEDDED_PG_PORT: String(PORTS.pg),
    EMBEDDED_TEMPORAL_PORT: String(PORTS.temporal),
    EMBEDDED_TEMPORAL_UI_PORT: String(PORTS.temporalUi),
    DATA_DIR: dataDir,
    // The worker-memory figure holds 2,000 open cases in the worker's cache, besides the ~450 the
    // submissions before it opened: room for all of them, so none is evicted while it is measured.
    WORKER_MAX_CACHED_WORKFLOWS: '4000',
  };
  // Nothing from the caller's environment may point the instance at a real database, cluster or mailer.
  for (const key of ['DATABASE_URL', 'DATABASE_POOL_SIZE', 'TEMPORAL_ADDRESS', 'PUBLIC_URL', 'RESEND_API_KEY', 'RESEND_BASE_URL', 'SESSION_SECRET']) {
    delete env[key];
  }
  // A database URL leaves embedded mode, which then needs a session secret; Temporal stays embedded.
  if (databaseUrl) Object.assign(env, { DATABASE_URL: databaseUrl, SESSION_SECRET: randomBytes(32).toString('hex') });

  // Own process group, so a last-resort SIGKILL also reaches the Temporal and PostgreSQL children.
  const child = spawn(join(ROOT, 'node_modules/.bin/tsx'), ['launcher.ts'], {
    cwd: ROOT,
    env,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logFile = launcherLog(databaseUrl);
  const log = captureLog(child, logFile);
  const killGroupOnExit = () => signalGroup(child, 'SIGKILL');
  process.once('exit', killGroupOnExit);

  let stopping: Promise<void> | undefined;
  const instance: Instance = {
    pid: child.pid!,
    baseUrl: `http://127.0.0.1:${PORTS.web}`,
    databaseUrl: databaseUrl ?? `postgresql://postgres@127.0.0.1:${PORTS.pg}/postgres`,
    temporalAddress: `127.0.0.1:${PORTS.temporal}`,
    exitReason: () => (!stopping && hasExited(child) ? `the launcher exited (${child.exitCode ?? child.signalCode})` : null),
    logTail: () => log.tail.join('\n'),
    logFile,
    serverErrors: () => log.serverErrors,
    stop: () =>
      (stopping ??= stopChild(child).finally(() => {
        // A child the launcher left behind (seen once: a Temporal dev server still holding its
        // port) would serve the next bench run with this run's workflows: the group goes too.
        signalGroup(child, 'SIGKILL');
        process.off('exit', killGroupOnExit);
        rmSync(dataDir, { recursive: true, force: true });
      })),
  };

  try {
    await waitForHealth(instance.baseUrl, child);
  } catch (err) {
    await instance.stop();
    throw new Error(`${(err as Error).message}\n--- launcher output (tail; all of it in ${logFile}) ---\n${instance.logTail()}`);
  }
  return instance;
}

/** Polls /health until 200; fails early if the launcher exits. */
async function waitForHealth(baseUrl: string, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + HEALTH_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (hasExited(child)) throw new Error(`The launcher exited (${child.exitCode ?? child.signalCode}) before it was healthy`);
    const ok = await fetch(`${baseUrl}/health`, { signal: AbortSignal.timeout(3_000) }).then(
      async (res) => (await res.arrayBuffer(), res.status === 200),
      () => false,
    );
    if (ok) return;
    await sleep(500);
  }
  throw new Error(`No 200 from ${baseUrl}/health within ${HEALTH_TIMEOUT_MS / 1000} s`);
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (hasExited(child)) return;
  const exited = new Promise<void>((ok) => child.once('exit', () => ok()));
  // The launcher stops its own children on SIGTERM; SIGKILL the whole group only if it hangs.
  const timer = setTimeout(() => signalGroup(child, 'SIGKILL'), STOP_GRACE_MS);
  child.kill('SIGTERM');
  await exited;
  clearTimeout(timer);
}

function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // The group is already gone.
  }
}

function hasExited(child: ChildProcess): boolean {
  return child.exitCode !== null || child.signalCode !== null;
}

/** The launcher's output goes to logFile; kept in memory: its last lines and the web errors. */
function captureLog(child: ChildProcess, logFile: string) {
  const file = createWriteStream(logFile).on('error', () => {}); // a log we cannot write is no reason to stop
  child.once('close', () => file.end());
  const tail: string[] = [];
  const serverErrors = new Map<string, number>();
  const take = (line: string) => {
    if (!file.writableEnded) file.write(`${line}\n`);
    if (line.startsWith('[web]')) serverErrors.set(line, (serverErrors.get(line) ?? 0) + 1);
    tail.push(line);
    if (tail.length > LOG_TAIL_LINES) tail.shift();
  };
  for (const stream of [child.stdout, child.stderr]) if (stream) createInterface({ input: stream }).on('line', take);
  return { tail, serverErrors };
}

export function sleep(ms: number): Promise<void> {
  return new Promise((ok) => setTimeout(ok, ms));
}
