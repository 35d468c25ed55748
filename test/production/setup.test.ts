// `npm run setup` against a fresh database and a Temporal server that knows nothing of Komet: it
// applies the migrations, creates the namespace and the search attributes, loads the districts,
// surveys and chat outcome answers without demo people and grants the first administrator; a second
// run changes nothing.
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { Connection } from '@temporalio/client';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { ALL_SEARCH_ATTRIBUTES } from '../../workflows/searchAttributes';
import { DEMO_STAFF } from '../../prisma/seed';
import { DEFAULT_OUTCOME_CHOICES, DISTRICTS } from '../../prisma/referenceData';
import { adminQuery, databaseUrl } from '../support/database';
import { TEMPORAL_CLI } from '../support/temporal';

const run = promisify(execFile);
const name = `komet_setup_${randomBytes(5).toString('hex')}`;
const url = databaseUrl(name);
const namespace = `komet-setup-${randomBytes(4).toString('hex')}`;
let server: TestWorkflowEnvironment;
let connection: Connection;

beforeAll(async () => {
  await adminQuery(`CREATE DATABASE ${name}`); // empty: the setup's migrations make the schema
  // A dev server without Komet's search attributes (the test stack registers them at start).
  server = await TestWorkflowEnvironment.createLocal({ server: { executable: { type: 'existing-path', path: TEMPORAL_CLI } } });
  connection = await Connection.connect({ address: server.address });
});

afterAll(async () => {
  await connection?.close();
  await server?.teardown();
  await adminQuery(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
});

async function setup(args: string[], env: Record<string, string> = {}) {
  const { stdout } = await run('node_modules/.bin/tsx', ['scripts/setup.ts', ...args], {
    env: { ...process.env, DATABASE_URL: url, TEMPORAL_ADDRESS: server.address, TEMPORAL_NAMESPACE: namespace, ...env },
  });
  return stdout;
}

/** Rows in every table of the database (the migrations' own table too). */
async function rowCounts(): Promise<Record<string, number>> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const tables = await client.query<{ name: string }>(`SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY 1`);
    const counts: Record<string, number> = {};
    for (const { name: table } of tables.rows) {
      counts[table] = Number((await client.query(`SELECT count(*) AS n FROM "${table}"`)).rows[0].n);
    }
    return counts;
  } finally {
    await client.end();
  }
}

async function query<T extends pg.QueryResultRow>(sql: string, params: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(sql, params)).rows;
  } finally {
    await client.end();
  }
}

const customAttributes = async () => (await connection.operatorService.listSearchAttributes({ namespace })).customAttributes ?? {};

// Each run starts Prisma's CLI and tsx: slow on a busy two-core machine.
describe('npm run setup', { timeout: 300_000 }, () => {
  it('sets up a fresh installation, and a second run changes nothing', async () => {
    const first = await setup(['--admin', 'Forsta.Admin@Stockholm.se']);
    expect(first).toMatch(/\d+ migration\(s\) applied: \d+_/);
    expect(first).toContain('namespace created');
    expect(first).toContain('search attributes: added');

    const counts = await rowCounts();
    expect(counts._prisma_migrations).toBeGreaterThan(0);
    expect(counts.district).toBe(DISTRICTS.length);
    expect(counts.survey_definition).toBeGreaterThan(0);
    expect(counts.chat_outcome_choice).toBe(DEFAULT_OUTCOME_CHOICES.length);
    // No demo people or courses: the administrator is the only person.
    expect(counts.person).toBe(1);
    expect(counts.course).toBe(0);
    const people = await query<{ email: string; role: string; district_id: string | null; course_id: string | null }>(
      'SELECT p.email, g.role, g.district_id, g.course_id FROM person p JOIN role_grant g ON g.person_id = p.id',
    );
    expect(people).toEqual([{ email: 'forsta.admin@stockholm.se', role: 'admin', district_id: null, course_id: null }]);
    for (const demo of Object.values(DEMO_STAFF)) expect(people.map((p) => p.email)).not.toContain(demo);
    expect(Object.keys(await customAttributes()).sort()).toEqual(ALL_SEARCH_ATTRIBUTES.map((k) => k.name).sort());

    const second = await setup([], { ADMIN_EMAIL: 'forsta.admin@stockholm.se' });
    expect(second).toContain('No pending migrations');
    expect(second).toContain('namespace already there');
    expect(second).toContain('search attributes: all already there');
    expect(second).toContain('0 districts, 0 surveys and 0 chat outcome answers added');
    expect(second).toContain('already admin');
    expect(await rowCounts()).toEqual(counts);
  });

  it('grants admin to a person who is already there, once', async () => {
    await query("INSERT INTO person (id, email) VALUES (gen_random_uuid(), 'handlaggare@stockholm.se')");
    const before = await rowCounts();
    expect(await setup(['--admin', 'handlaggare@stockholm.se'])).toContain('handlaggare@stockholm.se: granted admin\n');
    const after = await rowCounts();
    expect(after.person).toBe(before.person);
    expect(after.role_grant).toBe(before.role_grant + 1);
    await setup(['--admin', 'handlaggare@stockholm.se']);
    expect(await rowCounts()).toEqual(after);
  });

  it('refuses to run without a production configuration or with a bad address, and says why', async () => {
    const refused = await setup(['--admin', 'inte-en-adress']).catch((err: { code: number; stderr: string }) => err);
    expect(refused).toMatchObject({ code: 2 });
    expect((refused as { stderr: string }).stderr).toContain('is not an e-mail address');
    const noConfig = await setup([], { DATABASE_URL: '', TEMPORAL_ADDRESS: '' }).catch((err: { code: number; stderr: string }) => err);
    expect(noConfig).toMatchObject({ code: 2 });
    expect((noConfig as { stderr: string }).stderr).toContain('DATABASE_URL och TEMPORAL_ADDRESS krävs');
  });
});
