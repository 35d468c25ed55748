// npm run apikey -- --scopes applications:write,cases:read [--name portal]
// Creates an integration API key (R11.4) and prints it once: only its hash is stored.
// Uses DATABASE_URL when set, otherwise the running embedded system's database.
import { parseArgs } from 'node:util';
import { createApiKey, parseScopes, SCOPES } from '../lib/apiKeys';
import { loadConfig } from '../lib/config';
import { createDb } from '../lib/db';

const USAGE = `Användning / usage: npm run apikey -- --scopes ${SCOPES.join(',')} [--name portal]`;

async function main(argv: string[]): Promise<number> {
  let name: string;
  let scopes: string[];
  try {
    const { values } = parseArgs({ args: argv, options: { scopes: { type: 'string' }, name: { type: 'string', default: 'integration' } } });
    if (!values.scopes) throw new Error('--scopes is required');
    scopes = parseScopes(values.scopes);
    name = values.name!;
  } catch (err) {
    console.error(`Fel / error: ${(err as Error).message}\n${USAGE}`);
    return 2;
  }

  let databaseUrl: string;
  try {
    // The script never handles sessions, so production mode's SESSION_SECRET requirement does not apply.
    databaseUrl = loadConfig(process.env, { sessionSecret: 'not-used-by-the-apikey-script' }).databaseUrl;
  } catch (err) {
    console.error(`Fel / error: ${(err as Error).message}`);
    return 2;
  }
  const db = createDb(databaseUrl, 1);
  try {
    try {
      await db.$queryRaw`SELECT 1`;
    } catch {
      console.error(
        `Fel / error: kan inte nå databasen / cannot reach the database at ${where(databaseUrl)}.\n` +
          (process.env.DATABASE_URL ? 'Check DATABASE_URL.' : 'Start the embedded system first (npm start), or set DATABASE_URL.'),
      );
      return 1;
    }
    const created = await createApiKey(db, { name, scopes });
    console.log(
      [
        `API-nyckel skapad / API key created: "${created.name}" (${created.scopes.join(', ')}), id ${created.id}`,
        '',
        `  ${created.key}`,
        '',
        'Spara nyckeln nu: den kan inte visas igen. / Store the key now: it cannot be shown again.',
        'Använd / use: Authorization: Bearer <key>',
      ].join('\n'),
    );
    return 0;
  } catch (err) {
    console.error(`Fel / error: ${(err as Error).message}`);
    return 1;
  } finally {
    await db.$disconnect();
  }
}

/** Host and port only: the URL may hold a password. */
function where(url: string): string {
  try {
    const u = new URL(url);
    return `${u.hostname}:${u.port || 5432}`;
  } catch {
    return 'the configured URL';
  }
}

process.exitCode = await main(process.argv.slice(2));
