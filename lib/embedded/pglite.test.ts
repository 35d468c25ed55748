// Embedded PGlite serves one database session to every socket connection and interleaves their
// queries (electric-sql/pglite#1046). With the pool size the config gives embedded mode, many
// parallel queries from one process must still each get their own answer.
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../config';
import { createDb, type Db } from '../db';
import { startPglite, stopChild } from './children';

let child: ChildProcess;
let db: Db;
let dir: string;

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  await new Promise((r) => server.close(r));
  return port;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'komet-pglite-'));
  const port = await freePort();
  child = await startPglite(dir, port);
  const config = loadConfig({ EMBEDDED_PG_PORT: String(port) });
  expect(config.databasePoolSize).toBe(1);
  db = createDb(config.databaseUrl, config.databasePoolSize);
});
afterAll(async () => {
  await db?.$disconnect();
  await stopChild(child);
  rmSync(dir, { recursive: true, force: true });
});

describe('embedded PGlite', () => {
  it('answers 200 parallel queries from one process each with its own result', async () => {
    const results = await Promise.all(
      Array.from({ length: 200 }, (_, i) => db.$queryRaw<{ n: number }[]>`SELECT ${i}::int AS n`),
    );
    expect(results.map((r) => r[0].n)).toEqual(Array.from({ length: 200 }, (_, i) => i));
  });

  it('keeps a transaction and parallel queries apart', async () => {
    await db.$executeRawUnsafe('CREATE TABLE IF NOT EXISTS probe (n int)');
    const tx = db.$transaction(async (t) => {
      await t.$executeRaw`INSERT INTO probe VALUES (1)`;
      return t.$queryRaw<{ c: bigint }[]>`SELECT count(*) AS c FROM probe`;
    });
    const outside = Promise.all(Array.from({ length: 20 }, (_, i) => db.$queryRaw<{ n: number }[]>`SELECT ${i}::int AS n`));
    const [[count], answers] = await Promise.all([tx, outside]);
    expect(Number(count.c)).toBe(1);
    expect(answers.map((r) => r[0].n)).toEqual(Array.from({ length: 20 }, (_, i) => i));
  });
});
