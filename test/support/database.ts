// Each test file gets its own PostgreSQL database, cloned from a migrated template (fast, real).
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { createDb, type Db } from '../../lib/db';

export const ADMIN_URL = process.env.TEST_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
/** One template per `npm test` run (set by globalSetup), so parallel runs on one machine never collide. */
export const TEMPLATE_DB = process.env.KOMET_TEMPLATE_DB ?? `komet_test_template_${process.pid}`;

export function databaseUrl(name: string): string {
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  return url.toString();
}

export async function adminQuery(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: ADMIN_URL });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

export interface TestDatabase {
  url: string;
  db: Db;
  drop(): Promise<void>;
}

export async function createTestDatabase(): Promise<TestDatabase> {
  const name = `komet_t_${randomBytes(6).toString('hex')}`;
  await adminQuery(`CREATE DATABASE ${name} TEMPLATE ${TEMPLATE_DB}`);
  const url = databaseUrl(name);
  const db = createDb(url, 5);
  return {
    url,
    db,
    async drop() {
      await db.$disconnect();
      await adminQuery(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    },
  };
}
