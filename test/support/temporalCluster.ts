// A real Temporal server (not the dev server) on the local PostgreSQL, as production runs it: the
// `server` and `sql` binaries built from the Go module proxy into .temporal/bin (.ci/run builds them;
// missing ones are built here), its own two databases under a unique prefix, its own ports.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, mkdirSync, openSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { Connection } from '@temporalio/client';
import { adminQuery, ADMIN_URL } from './database';

const run = promisify(execFile);

export const TEMPORAL_SERVER_VERSION = 'v1.29.1';
const BIN = resolve('.temporal/bin');
export const SERVER_BIN = join(BIN, 'server');
export const SQL_BIN = join(BIN, 'sql');

/** Builds the server and its schema tool unless both are there (minutes the first time; Go caches). */
export async function ensureServerBinaries(): Promise<{ built: boolean; seconds: number }> {
  const started = Date.now();
  if (existsSync(SERVER_BIN) && existsSync(SQL_BIN)) return { built: false, seconds: 0 };
  mkdirSync(BIN, { recursive: true });
  const packages = [`go.temporal.io/server/cmd/server@${TEMPORAL_SERVER_VERSION}`, `go.temporal.io/server/cmd/tools/sql@${TEMPORAL_SERVER_VERSION}`];
  try {
    await run('go', ['install', ...packages], { env: { ...process.env, GOBIN: BIN }, maxBuffer: 16 * 1024 * 1024 });
  } catch (err) {
    const missingGo = (err as NodeJS.ErrnoException).code === 'ENOENT';
    throw new Error(
      `${SERVER_BIN} and ${SQL_BIN} are missing and ${missingGo ? 'Go is not installed' : 'go install failed'}: ` +
        `run GOBIN=$PWD/.temporal/bin go install ${packages.join(' ')} (bash .ci/run does)\n${(err as { stderr?: string }).stderr ?? ''}`,
    );
  }
  return { built: true, seconds: Math.round((Date.now() - started) / 1000) };
}

/** The server module's directory in Go's module cache: its PostgreSQL schema lives there. */
async function serverModuleDir(): Promise<string> {
  const { stdout } = await run('go', ['mod', 'download', '-json', `go.temporal.io/server@${TEMPORAL_SERVER_VERSION}`]);
  return (JSON.parse(stdout) as { Dir: string }).Dir;
}

/**
 * Ports nobody listens on now, below 32768: the server stores its membership ports as PostgreSQL
 * smallint, so the kernel's ephemeral ports (what `listen(0)` gives) do not fit. Random ones, since
 * the dev servers of other tests take 7233–7239 and 69xx.
 */
export async function freePorts(count: number): Promise<number[]> {
  const ports: number[] = [];
  while (ports.length < count) {
    const port = 20_000 + Math.floor(Math.random() * 12_000);
    if (!ports.includes(port) && (await isFree(port))) ports.push(port);
  }
  return ports;
}

function isFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

export interface TemporalCluster {
  address: string;
  /** Stops the server and drops its databases. */
  stop(): Promise<void>;
}

export async function startTemporalCluster(prefix: string): Promise<TemporalCluster> {
  const pgUrl = new URL(ADMIN_URL);
  const pg = ['--plugin', 'postgres12', '--ep', pgUrl.hostname, '-p', pgUrl.port || '5432', '-u', decodeURIComponent(pgUrl.username || 'postgres')];
  if (pgUrl.password) pg.push('--pw', decodeURIComponent(pgUrl.password));
  const schemaRoot = join(await serverModuleDir(), 'schema', 'postgresql', 'v12');
  const databases = { default: `${prefix}_temporal`, visibility: `${prefix}_visibility` };
  const dir = mkdtempSync(join(tmpdir(), `${prefix}-`));
  let child: ChildProcess | undefined;
  const dropDatabases = () => Promise.all(Object.values(databases).map((db) => adminQuery(`DROP DATABASE IF EXISTS ${db} WITH (FORCE)`)));

  try {
    for (const [store, db] of [['temporal', databases.default], ['visibility', databases.visibility]] as const) {
      await run(SQL_BIN, [...pg, '--db', db, 'create-database']);
      await run(SQL_BIN, [...pg, '--db', db, 'setup-schema', '-v', '0.0']);
      await run(SQL_BIN, [...pg, '--db', db, 'update-schema', '-d', join(schemaRoot, store, 'versioned')]);
    }
    const [frontend, frontendHttp, history, matching, worker, ...membership] = await freePorts(9);
    mkdirSync(join(dir, 'config', 'dynamicconfig'), { recursive: true });
    writeFileSync(join(dir, 'config', 'dynamicconfig', 'komet.yaml'), 'limit.maxIDLength:\n  - value: 255\n    constraints: {}\n');
    writeFileSync(
      join(dir, 'config', 'komet.yaml'),
      serverConfig({ pg: pgUrl, databases, ports: { frontend, frontendHttp, history, matching, worker }, membership, dynamicConfig: join(dir, 'config', 'dynamicconfig', 'komet.yaml') }),
    );
    child = spawnWithLog(SERVER_BIN, ['--root', dir, '--config', 'config', '--env', 'komet', '--allow-no-auth', 'start'], join(dir, 'server.log'));
    const address = `127.0.0.1:${frontend}`;
    await waitForFrontend(address, child, join(dir, 'server.log'));
    const running = child;
    return {
      address,
      async stop() {
        await stopProcess(running);
        await dropDatabases();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  } catch (err) {
    if (child) await stopProcess(child);
    await dropDatabases();
    throw err;
  }
}

/**
 * Starts a process whose stdout and stderr go straight into one file. Not two pipes into one write
 * stream: the first pipe to end ends the stream, and a later write from the other one is an
 * uncaught "write after end" in the test run (CI, 7 Dec).
 */
export function spawnWithLog(cmd: string, args: string[], logFile: string): ChildProcess {
  const log = openSync(logFile, 'a');
  try {
    return spawn(cmd, args, { stdio: ['ignore', log, log] });
  } finally {
    closeSync(log);
  }
}

async function waitForFrontend(address: string, child: ChildProcess, logFile: string): Promise<void> {
  const deadline = Date.now() + 180_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`Temporal server exited (${child.exitCode}); see ${logFile}`);
    try {
      const connection = await Connection.connect({ address, connectTimeout: 2_000 });
      try {
        await connection.workflowService.getSystemInfo({});
        return;
      } finally {
        await connection.close();
      }
    } catch (err) {
      if (Date.now() > deadline) throw new Error(`Temporal server not answering at ${address}: ${(err as Error).message}; see ${logFile}`);
      await new Promise((r) => setTimeout(r, 500));
    }
  }
}

/** SIGTERM, then SIGKILL if it has not ended within 15 s. */
export async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
  await exited;
  clearTimeout(timer);
}

interface ConfigInput {
  pg: URL;
  databases: { default: string; visibility: string };
  ports: { frontend: number; frontendHttp: number; history: number; matching: number; worker: number };
  membership: number[];
  dynamicConfig: string;
}

/** development-postgres12.yaml of the server release, with its own databases and ports and no metrics or pprof listener. */
function serverConfig({ pg, databases, ports, membership, dynamicConfig }: ConfigInput): string {
  const store = (db: string, conns: number) => `      sql:
        pluginName: "postgres12"
        databaseName: "${db}"
        connectAddr: "${pg.hostname}:${pg.port || '5432'}"
        connectProtocol: "tcp"
        user: "${decodeURIComponent(pg.username || 'postgres')}"
        password: "${decodeURIComponent(pg.password)}"
        maxConns: ${conns}
        maxIdleConns: ${conns}
        maxConnLifetime: "1h"`;
  const service = (grpc: number, member: number, http?: number) => `    rpc:
      grpcPort: ${grpc}
      membershipPort: ${member}
      bindOnLocalHost: true${http ? `\n      httpPort: ${http}` : ''}`;
  return `log:
  stdout: true
  level: warn

persistence:
  defaultStore: postgres-default
  visibilityStore: postgres-visibility
  numHistoryShards: 4
  datastores:
    postgres-default:
${store(databases.default, 20)}
    postgres-visibility:
${store(databases.visibility, 4)}

global:
  membership:
    maxJoinDuration: 30s
    broadcastAddress: "127.0.0.1"

services:
  frontend:
${service(ports.frontend, membership[0], ports.frontendHttp)}
  matching:
${service(ports.matching, membership[1])}
  history:
${service(ports.history, membership[2])}
  worker:
${service(ports.worker, membership[3])}

clusterMetadata:
  enableGlobalNamespace: false
  failoverVersionIncrement: 10
  masterClusterName: "active"
  currentClusterName: "active"
  clusterInformation:
    active:
      enabled: true
      initialFailoverVersion: 1
      rpcName: "frontend"
      rpcAddress: "127.0.0.1:${ports.frontend}"

dcRedirectionPolicy:
  policy: "noop"

dynamicConfigClient:
  filepath: "${dynamicConfig}"
  pollInterval: "10s"
`;
}
