// npm run setup -- --admin someone@stockholm.se   (or ADMIN_EMAIL)
// Sets up a production installation against DATABASE_URL and TEMPORAL_ADDRESS: applies the
// migrations, creates the namespace if missing and registers the search attributes, loads the
// reference data (districts, surveys; no demo people), and grants the first administrator.
// Every step adds only what is missing: run it again at every deploy and it changes nothing.
import { parseArgs } from 'node:util';
import { loadConfig, type Config } from '../lib/config';
import { createDb } from '../lib/db';
import { AdminEmail, ensureAdmin } from '../lib/setup/firstAdmin';
import { applyMigrations } from '../lib/setup/migrations';
import { ensureNamespace, ensureSearchAttributes } from '../lib/setup/temporalNamespace';
import { Connection } from '@temporalio/client';
import { connectionOptions } from '../lib/temporal';
import { seedReferenceData } from '../prisma/referenceData';

const USAGE = 'Användning / usage: DATABASE_URL=… TEMPORAL_ADDRESS=… npm run setup -- [--admin someone@stockholm.se]';

function options(argv: string[]): { config: Config; admin: string | null } {
  const { values } = parseArgs({ args: argv, options: { admin: { type: 'string' } } });
  if (!process.env.DATABASE_URL || !process.env.TEMPORAL_ADDRESS) {
    throw new Error('DATABASE_URL och TEMPORAL_ADDRESS krävs / are required (the embedded mode sets itself up with npm start)');
  }
  // The setup handles no sessions, so production's SESSION_SECRET requirement does not apply here.
  const config = loadConfig(process.env, { sessionSecret: 'not-used-by-the-setup-script' });
  const raw = values.admin ?? process.env.ADMIN_EMAIL ?? null;
  const admin = raw === null ? null : AdminEmail.safeParse(raw);
  if (admin && !admin.success) throw new Error('--admin / ADMIN_EMAIL är inte en e-postadress / is not an e-mail address');
  return { config, admin: admin ? admin.data : null };
}

async function main(argv: string[]): Promise<number> {
  let opts: ReturnType<typeof options>;
  try {
    opts = options(argv);
  } catch (err) {
    console.error(`Fel / error: ${(err as Error).message}\n${USAGE}`);
    return 2;
  }
  const { config, admin } = opts;

  console.log('1/4 Databasens schema / database schema');
  console.log(`    ${await applyMigrations(config.databaseUrl)}`);

  console.log(`2/4 Temporal: namnrymd / namespace "${config.TEMPORAL_NAMESPACE}" och sökattribut / search attributes`);
  const connection = await Connection.connect(await connectionOptions(config));
  try {
    const created = await ensureNamespace(connection, config.TEMPORAL_NAMESPACE, config.TEMPORAL_NAMESPACE_RETENTION_DAYS);
    console.log(`    namespace ${created ? `created (retention ${config.TEMPORAL_NAMESPACE_RETENTION_DAYS} days)` : 'already there'}`);
    const added = await ensureSearchAttributes(connection, config.TEMPORAL_NAMESPACE);
    console.log(`    search attributes: ${added.length ? `added ${added.join(', ')}` : 'all already there'}`);
  } finally {
    await connection.close();
  }

  const db = createDb(config.databaseUrl, 2);
  try {
    console.log('3/4 Referensdata / reference data (districts, surveys)');
    const ref = await seedReferenceData(db);
    console.log(`    ${ref.districtsAdded} districts, ${ref.surveysAdded} surveys and ${ref.outcomeChoicesAdded} chat outcome answers added`);

    console.log('4/4 Första administratören / first administrator');
    if (admin) {
      const result = await ensureAdmin(db, admin);
      console.log(`    ${admin}: ${result.granted ? 'granted admin' : 'already admin'}${result.personCreated ? ' (new person)' : ''}`);
    } else {
      const admins = await db.roleGrant.count({ where: { role: 'admin' } });
      console.log(`    no --admin given; ${admins} admin grant(s) in the database${admins ? '' : ' – run again with --admin to create one'}`);
    }
  } finally {
    await db.$disconnect();
  }
  console.log('Klart / done.');
  return 0;
}

try {
  process.exitCode = await main(process.argv.slice(2));
} catch (err) {
  // Class and message only: no stack with values, and no connection string (Prisma's and the
  // Temporal client's messages name hosts, not passwords).
  console.error(`Fel / error: ${err instanceof Error ? `${err.name}: ${err.message}` : String(err)}`);
  process.exitCode = 1;
}
