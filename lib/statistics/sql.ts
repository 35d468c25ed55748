// Shared pieces of the statistics' SQL: the breakdown key of a row and the filter conditions.
// Every fragment is built from fixed SQL; values from the query string are bound parameters.
import { DbTypes, type Db } from '../db';
import type { Breakdown, StatisticsFilter } from './filters';

const sql = DbTypes.Prisma.sql;
export type Sql = DbTypes.Prisma.Sql;

/**
 * A row's breakdown key: the district id (NULL for none), the course kind, or the term number.
 * Grouped by as it is and turned into text per group (`::text` on every row costs more).
 */
export function breakdownKey(by: Breakdown, cols: { districtId: Sql; kind: Sql; term: Sql }): Sql {
  switch (by) {
    case 'district':
      return cols.districtId;
    case 'kind':
      return cols.kind;
    case 'term':
      return cols.term;
  }
}

/** `AND …` conditions on the course's district and kind (no term: each figure has its own date). */
export function courseConditions(f: StatisticsFilter, course: { districtId: Sql; kind: Sql }): Sql {
  const parts: Sql[] = [];
  if (f.districtId) parts.push(sql`AND ${course.districtId} = ${f.districtId}::uuid`);
  // Untyped parameters: PostgreSQL types them from the column, as constants of the plan.
  if (f.kind) parts.push(sql`AND ${course.kind} = ${f.kind}`);
  return parts.length ? DbTypes.Prisma.join(parts, ' ') : DbTypes.Prisma.empty;
}

/**
 * An instant compared with a `timestamp(3)` column (UTC, as Prisma stores it). The parameter is
 * sent untyped, so PostgreSQL takes it as a timestamp: a constant in the plan, not a cast on every
 * row (text → timestamptz is only stable, so a written cast would not be folded).
 */
export function utcTimestamp(at: Date): Sql {
  return sql`${at}`;
}

/**
 * Runs one statistics aggregate in its own short transaction with local settings (set_config(…, true), as SET LOCAL) for a report over many
 * rows: work memory enough to hash or sort 100,000 narrow rows in memory instead of on disk, and no
 * parallel workers (the page runs its few queries side by side already; on a small machine extra
 * workers only add their start-up time). They end with the transaction.
 */
export async function reportQuery<T>(db: Db, query: Sql): Promise<T[]> {
  const [, rows] = await db.$transaction([
    db.$queryRaw`SELECT set_config('work_mem', '32MB', true), set_config('max_parallel_workers_per_gather', '0', true)`,
    db.$queryRaw<T[]>(query),
  ]);
  return rows;
}
