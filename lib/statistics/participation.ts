// Parents in the parent courses (R9.1): who applied, started and completed, the completion rate
// and the waiting time from application to start, per district, course kind or term. One SQL
// aggregate over the applications in one pass (hash aggregation) counts them per breakdown value,
// status and waiting day; the total is their sum and the median is read off the day counts.
import type { Db } from '../db';
import { DbTypes } from '../db';
import type { StatisticsFilter } from './filters';
import { breakdownKey, courseConditions, reportQuery, utcTimestamp } from './sql';
import { termOfTimestampSql, termRange, type TermIndex } from './terms';

const sql = DbTypes.Prisma.sql;

export interface ParticipationRow {
  /** Breakdown key: district id ('' = no district, the web course), course kind, or term number; null for the total. */
  key: string | null;
  /** Applied: every application to a group or web course. */
  applied: number;
  /**
   * Started: admitted, and the course's first session has begun (a web course starts at the
   * admission); a completed or not completed case has always started.
   */
  started: number;
  /** Completed: status completed. */
  completed: number;
  /** completed / started; null when no one started. */
  completionRate: number | null;
  /** Whole days from the application to the start (first session; web course: admission), over the started cases. */
  waitingMedian: number | null;
  waitingMean: number | null;
}

interface Raw {
  /** NULL: a course without a district. */
  key: string | null;
  status: string;
  kind: string;
  /** The course's first session has begun (null: a course without sessions). */
  begun: boolean | null;
  /** Whole days from the application to the start; null without a start. */
  waiting: number | null;
  n: number;
}

/** How many cases waited how many days. */
export interface Bin {
  value: number;
  count: number;
}

/** The median of values given as counts per value (the mean of the middle two for an even number). */
export function medianOfBins(bins: Bin[]): number | null {
  const sorted = bins.filter((b) => b.count > 0).sort((a, b) => a.value - b.value);
  const n = sorted.reduce((s, b) => s + b.count, 0);
  if (!n) return null;
  const at = (rank: number) => {
    let seen = 0;
    for (const b of sorted) {
      seen += b.count;
      if (seen >= rank) return b.value;
    }
    return sorted[sorted.length - 1].value;
  };
  return n % 2 ? at((n + 1) / 2) : (at(n / 2) + at(n / 2 + 1)) / 2;
}

export function meanOfBins(bins: Bin[]): number | null {
  const n = bins.reduce((s, b) => s + b.count, 0);
  return n ? bins.reduce((s, b) => s + b.value * b.count, 0) / n : null;
}

/**
 * One row per breakdown value with applications, then the total (key null). `now` decides whether
 * a course's first session has begun. The SQL only counts cases per breakdown value, status, kind,
 * begun and waiting day (a few thousand groups out of 100,000 cases); which of them started, and
 * the median, are read off those counts here.
 */
export async function participation(db: Db, f: StatisticsFilter, now: Date): Promise<ParticipationRow[]> {
  const key = breakdownKey(f.by, { districtId: sql`k.district_id`, kind: sql`k.kind`, term: termOfTimestampSql(sql`a.submitted_at`) });
  const term = f.term === undefined ? DbTypes.Prisma.empty : termCondition(f.term);
  const rows = await reportQuery<Raw>(
    db,
    sql`
    WITH courses AS (
      SELECT c.id, c.district_id, c.kind, min(s.starts_at) AS first_start, min(s.starts_at) <= ${utcTimestamp(now)} AS begun
      FROM course c LEFT JOIN course_session s ON s.course_id = c.id
      WHERE c.kind IN ('groupCourse', 'webCourse') ${courseConditions(f, { districtId: sql`c.district_id`, kind: sql`c.kind` })}
      GROUP BY c.id
    )
    SELECT ${key}::text AS key, a.status::text AS status, k.kind::text AS kind, k.begun,
      floor(date_part('epoch', CASE WHEN k.kind = 'webCourse' THEN a.decided_at ELSE k.first_start END - a.submitted_at) / 86400)::int AS waiting,
      count(*)::int AS n
    FROM application a JOIN courses k ON k.id = a.course_id
    WHERE true ${term}
    GROUP BY ${key}, a.status, k.kind, k.begun, waiting`,
  );

  // The total is the sum of the rows (each case is in exactly one), added up here.
  const groups = new Map<string | null, { applied: number; started: number; completed: number; bins: Bin[] }>();
  const add = (k: string | null, r: Raw, started: boolean) => {
    const g = groups.get(k) ?? { applied: 0, started: 0, completed: 0, bins: [] };
    g.applied += r.n;
    if (started) g.started += r.n;
    if (r.status === 'completed') g.completed += r.n;
    // Applied after the first session (a late admission): no wait, not a negative one.
    if (started && r.waiting !== null) g.bins.push({ value: Math.max(0, r.waiting), count: r.n });
    groups.set(k, g);
  };
  for (const r of rows) {
    const started = isStarted(r);
    add(r.key ?? '', r, started);
    add(null, r, started);
  }
  return [...groups].map(([k, g]) => ({
    key: k,
    applied: g.applied,
    started: g.started,
    completed: g.completed,
    completionRate: g.started ? g.completed / g.started : null,
    waitingMedian: medianOfBins(g.bins),
    waitingMean: meanOfBins(g.bins),
  }));
}

/** Completed or not completed; or admitted to a course that has begun (a web course at once). */
function isStarted(r: Pick<Raw, 'status' | 'kind' | 'begun'>): boolean {
  if (r.status === 'completed' || r.status === 'notCompleted') return true;
  return r.status === 'admitted' && (r.kind === 'webCourse' || r.begun === true);
}

function termCondition(term: TermIndex) {
  const { from, to } = termRange(term);
  return sql`AND a.submitted_at >= ${utcTimestamp(from)} AND a.submitted_at < ${utcTimestamp(to)}`;
}

/**
 * The term of the earliest parent application, or null when there is none: the first in each
 * status and kind through the (status, kind, submitted_at) index, not a scan of every case.
 */
export async function firstApplicationTerm(db: Db): Promise<TermIndex | null> {
  const [row] = await db.$queryRaw<{ term: number | null }[]>`
    SELECT ${termOfTimestampSql(sql`min(f.first)`)} AS term FROM (
      SELECT f.first FROM unnest(enum_range(NULL::"ApplicationStatus")) AS s(status)
      CROSS JOIN unnest(ARRAY['groupCourse', 'webCourse']::"CourseKind"[]) AS k(kind)
      CROSS JOIN LATERAL (
        SELECT a.submitted_at AS first FROM application a WHERE a.status = s.status AND a.kind = k.kind ORDER BY a.submitted_at LIMIT 1
      ) AS f
    ) AS f`;
  return row?.term ?? null;
}
