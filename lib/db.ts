// The runtime Prisma client (6.19, JS engine + adapter-pg). One per process.
import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient } from './db/generated/client';

export type Db = PrismaClient;
export * as DbTypes from './db/generated/client';

/**
 * `maxConnections` must be 1 against embedded PGlite: its socket server runs every connection on
 * one database session and interleaves their queries (electric-sql/pglite#1046), which gives
 * wrong answers under load. One connection serialises them; transactions use `tx` only.
 */
export function createDb(databaseUrl: string, maxConnections = 10): Db {
  const adapter = new PrismaPg({ connectionString: databaseUrl, max: maxConnections });
  return new PrismaClient({ adapter });
}
