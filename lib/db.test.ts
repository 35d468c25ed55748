// db.sql, the hand-written query path beside Prisma: same instants as Prisma in any time zone,
// values only ever as parameters.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb, DbTypes, utcTimestamp } from './db';
import { createTestDatabase, type TestDatabase } from '../test/support/database';

let database: TestDatabase;
const zone = process.env.TZ;
beforeAll(async () => {
  database = await createTestDatabase();
  // Far from UTC, so a timestamp read or sent as local time would be hours off.
  process.env.TZ = 'America/Los_Angeles';
});
afterAll(async () => {
  process.env.TZ = zone;
  await database?.drop();
});

describe('db.sql', () => {
  it('reads and compares timestamps as the same instants Prisma stores, whatever the process time zone', async () => {
    const { db } = database;
    const at = new Date('2026-03-29T01:30:00.123Z');
    await db.setting.create({ data: { key: 'probe', value: 1 } });
    await db.$executeRaw`UPDATE setting SET updated_at = ${at} WHERE key = 'probe'`;
    expect((await db.setting.findUniqueOrThrow({ where: { key: 'probe' } })).updatedAt.toISOString()).toBe(at.toISOString());

    const [row] = await db.sql<{ updatedAt: Date }>`SELECT updated_at AS "updatedAt" FROM setting WHERE key = 'probe'`;
    expect(row.updatedAt.toISOString()).toBe(at.toISOString());
    const before = await db.sql<{ key: string }>`SELECT key FROM setting WHERE key = 'probe' AND updated_at > ${new Date(at.getTime() - 1)}`;
    const after = await db.sql<{ key: string }>`SELECT key FROM setting WHERE key = 'probe' AND updated_at > ${at}`;
    expect([before.length, after.length]).toEqual([1, 0]);
  });

  it('reads a timestamp inside json (json_agg) as the same instant, whatever the process time zone', async () => {
    const { db } = database;
    const at = new Date('2026-10-25T01:30:00.123Z');
    await db.setting.create({ data: { key: 'probe-json', value: 1 } });
    await db.$executeRaw`UPDATE setting SET updated_at = ${at} WHERE key = 'probe-json'`;
    const [row] = await db.sql<{ rows: { updatedAt: string }[] }>`
      SELECT json_agg(json_build_object('updatedAt', updated_at)) AS rows FROM setting WHERE key = 'probe-json'`;
    expect(utcTimestamp(row.rows[0].updatedAt).toISOString()).toBe(at.toISOString());
  });

  it('sends values as parameters, never as SQL', async () => {
    const hostile = `x'; DROP TABLE setting; --`;
    const [row] = await database.db.sql<{ echoed: string }>`SELECT ${hostile}::text AS echoed`;
    expect(row.echoed).toBe(hostile);
    expect(await database.db.setting.count()).toBeGreaterThanOrEqual(0);
  });

  it('prepares each query text once per connection and reuses it', async () => {
    const one = createDb(database.url, 1);
    try {
      for (const n of [1, 2, 3]) await one.sql`SELECT ${n}::int AS n`;
      const prepared = await one.sql<{ statement: string }>`SELECT statement FROM pg_prepared_statements WHERE name LIKE 'komet_%'`;
      expect(prepared.map((p) => p.statement).filter((s) => s.includes('AS n'))).toEqual(['SELECT $1::int AS n']);
    } finally {
      await one.$disconnect();
    }
  });

  it('inlines a Prisma.sql fragment with its values as parameters, numbered after the ones before it', async () => {
    const fragment = DbTypes.Prisma.sql`SELECT ${2}::int AS b, ${'c'}::text AS c`;
    const [row] = await database.db.sql<{ a: number; b: number; c: string; d: string }>`
      WITH f AS (${fragment}) SELECT ${1}::int AS a, f.b, f.c, ${'d'}::text AS d FROM f`;
    expect(row).toEqual({ a: 1, b: 2, c: 'c', d: 'd' });
  });
});
