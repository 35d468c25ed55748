// The runtime Prisma client (6.19, JS engine + adapter-pg). One per process, on one pg pool.
import { createHash } from 'node:crypto';
import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { Prisma, PrismaClient } from './db/generated/client';

/**
 * A hand-written query on the same pool as Prisma, for the few queries on every request's path
 * (the session, "Mina ärenden", an API submission). Measured here (README, "Speed"): Prisma's
 * `$queryRaw` costs about 0.4 ms of CPU per query and a query-builder call 0.7 ms, against 0.1 ms
 * straight through `pg`; on a page of three queries that is most of the server's work. Values
 * are always parameters ($1, $2, …), never spliced into the text; a `Prisma.sql` fragment among
 * them is inlined with its own values as parameters. Rows come back with pg's types: timestamps
 * as Date, json as objects, bigint as string.
 */
export type Sql = <Row>(strings: TemplateStringsArray, ...values: unknown[]) => Promise<Row[]>;

export type Db = PrismaClient & { readonly sql: Sql };
export * as DbTypes from './db/generated/client';

const TIMESTAMP_OID = 1114;
/**
 * Prisma keeps DateTime as UTC in `timestamp` columns (no zone): read them as UTC and send Dates
 * as UTC ISO text, whatever the process's own time zone is. A timestamp inside json (json_agg)
 * arrives as text in the same way: `utcTimestamp` reads it.
 */
export const utcTimestamp = (value: string): Date => new Date(`${value.replace(' ', 'T')}Z`);
const utcTypes = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === TIMESTAMP_OID ? utcTimestamp : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
};
const asParameter = (value: unknown) => (value instanceof Date ? value.toISOString() : value);

/**
 * Each query text is a named prepared statement, parsed and planned once per connection: planning
 * the session's three-table lookup again on every request cost PostgreSQL more CPU than running it
 * (bench: 0.29 ms of server CPU per query unnamed). The texts are the call sites' fixed templates.
 */
const statementNames = new Map<string, string>();
function statementName(text: string): string {
  let name = statementNames.get(text);
  if (!name) statementNames.set(text, (name = `komet_${createHash('sha256').update(text).digest('hex').slice(0, 24)}`));
  return name;
}

function parameterised(strings: readonly string[], values: readonly unknown[]): { text: string; params: unknown[] } {
  const params: unknown[] = [];
  let text = strings[0];
  values.forEach((value, i) => {
    if (value instanceof Prisma.Sql) {
      text += value.strings[0];
      value.values.forEach((inner, j) => (text += `$${params.push(asParameter(inner))}${value.strings[j + 1]}`));
    } else {
      text += `$${params.push(asParameter(value))}`;
    }
    text += strings[i + 1];
  });
  return { text, params };
}

/** A pool of `maxConnections` per process (config DATABASE_POOL_SIZE), embedded mode included. */
export function createDb(databaseUrl: string, maxConnections = 10): Db {
  const pool = new pg.Pool({ connectionString: databaseUrl, max: maxConnections });
  const adapter = new PrismaPg(pool, { disposeExternalPool: true });
  const client = new PrismaClient({ adapter });
  const sql: Sql = async <Row>(strings: TemplateStringsArray, ...values: unknown[]) => {
    const { text, params } = parameterised(strings, values);
    return (await pool.query({ name: statementName(text), text, values: params, types: utcTypes })).rows as Row[];
  };
  // An idle connection the server ends (a restart, a dropped test database) is replaced at the
  // next query; without a listener its error would end the process.
  pool.on('error', (err) => console.warn(`[db] idle connection closed: ${err.message}`));
  const disconnect = client.$disconnect.bind(client);
  // Prisma ends the pool only if it ever connected; a client used through db.sql alone ends it here.
  const $disconnect = async () => {
    await disconnect();
    if (!pool.ended) await pool.end();
  };
  return Object.assign(client, { sql, $disconnect });
}
