// The runtime Prisma client (6.19, JS engine + adapter-pg). One per process.
import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient } from './db/generated/client';

export type Db = PrismaClient;
export * as DbTypes from './db/generated/client';

/** A pool of `maxConnections` per process (config DATABASE_POOL_SIZE), embedded mode included. */
export function createDb(databaseUrl: string, maxConnections = 10): Db {
  const adapter = new PrismaPg({ connectionString: databaseUrl, max: maxConnections });
  return new PrismaClient({ adapter });
}
