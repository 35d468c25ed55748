// Terms (terminer) for the statistics (R9.1): "VT 2026" is January–June, "HT 2026" July–December,
// in Stockholm time. A term is kept as one sortable number, year × 2 + half (0 = VT, 1 = HT), the
// same number the SQL aggregates group by (termSql).
import { DbTypes } from '../db';
import { stockholmDateString, stockholmInstant } from '../time';

/** year × 2 + (0 for VT, 1 for HT). */
export type TermIndex = number;

/** The term an instant falls in, in Stockholm time. */
export function termOf(at: Date): TermIndex {
  const [year, month] = stockholmDateString(at).split('-').map(Number);
  return year * 2 + (month > 6 ? 1 : 0);
}

/** The term of a calendar day (survey answers keep only the date). */
export function termOfDay(day: string): TermIndex {
  const [year, month] = day.split('-').map(Number);
  return year * 2 + (month > 6 ? 1 : 0);
}

/** "VT2026": the term in a query string. */
export function termCode(term: TermIndex): string {
  return `${term % 2 ? 'HT' : 'VT'}${Math.floor(term / 2)}`;
}

/** "VT 2026": the term as people write it. */
export function termLabel(term: TermIndex): string {
  return `${term % 2 ? 'HT' : 'VT'} ${Math.floor(term / 2)}`;
}

export const TERM_CODE = /^(VT|HT)(\d{4})$/;

/** The term of a query-string code, or null for anything else. */
export function parseTermCode(code: string): TermIndex | null {
  const m = TERM_CODE.exec(code);
  if (!m) return null;
  const year = Number(m[2]);
  if (year < 2000 || year > 2100) return null;
  return year * 2 + (m[1] === 'HT' ? 1 : 0);
}

/** The first calendar day of a term and of the next one (YYYY-MM-DD). */
export function termDays(term: TermIndex): { from: string; to: string } {
  const year = Math.floor(term / 2);
  return term % 2 ? { from: `${year}-07-01`, to: `${year + 1}-01-01` } : { from: `${year}-01-01`, to: `${year}-07-01` };
}

/** The UTC instants a term starts and ends at (midnight in Stockholm), end exclusive. */
export function termRange(term: TermIndex): { from: Date; to: Date } {
  const days = termDays(term);
  return { from: stockholmInstant(days.from, '00:00'), to: stockholmInstant(days.to, '00:00') };
}

/** Every term from `first` to `last`, newest first. */
export function termsBetween(first: TermIndex, last: TermIndex): TermIndex[] {
  const out: TermIndex[] = [];
  for (let t = last; t >= first; t--) out.push(t);
  return out;
}

/** The term of a date expression (a survey answer's day), as termOfDay counts it. */
export function termSql(day: DbTypes.Prisma.Sql): DbTypes.Prisma.Sql {
  return DbTypes.Prisma.sql`(extract(year FROM ${day})::int * 2 + (extract(month FROM ${day})::int > 6)::int)`;
}

/** The terms the SQL can name: VT 2000 up to HT 2100 (a date outside counts in the nearest). */
export const FIRST_TERM: TermIndex = 2000 * 2;
export const LAST_TERM: TermIndex = 2100 * 2 + 1;

/**
 * Every term's start as a UTC `timestamp(3)`, FIRST_TERM … LAST_TERM, as an array literal written
 * into the SQL (our own constant): a parameter cast to timestamp[] would be parsed again per row.
 */
const TERM_STARTS = DbTypes.Prisma.raw(
  `'{${termsBetween(FIRST_TERM, LAST_TERM)
    .reverse()
    .map((t) => termRange(t).from.toISOString().replace('T', ' ').replace('Z', ''))
    .join(',')}}'::timestamp[]`,
);

/**
 * The term of a stored UTC timestamp column, as termOf counts it, by a binary search over the
 * terms' starts (width_bucket): no time-zone conversion per row, which costs more over 100,000.
 */
export function termOfTimestampSql(column: DbTypes.Prisma.Sql): DbTypes.Prisma.Sql {
  const bucket = DbTypes.Prisma.sql`width_bucket(${column}, ${TERM_STARTS})`;
  // Before the first term's start counts in the first term; NULL stays NULL.
  // Written out, not a parameter: the same expression must stand in SELECT and GROUP BY.
  return DbTypes.Prisma.sql`(${DbTypes.Prisma.raw(String(FIRST_TERM - 1))} + CASE WHEN ${column} IS NULL THEN NULL ELSE greatest(1, ${bucket}) END)`;
}
