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
  applied: number;
  started: number;
  completed: number;
  /** Whole days from the application to the start over the started cases, and how many waited so long. */
  waits: number[] | null;
  counts: number[] | null;
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
 * a course's first session has begun. The SQL counts cases per kind of course (district, kind,
 * begun), status and waiting day in one pass over the applications (hash aggregation), then per
 * breakdown value: a few rows, the waiting days as counts per day; the median is read off those.
 */
export async function participation(db: Db, f: StatisticsFilter, now: Date): Promise<ParticipationRow[]> {
  const key = breakdownKey(f.by, { districtId: sql`b.district_id`, kind: sql`b.kind`, term: sql`x.term` });
  const byTerm = f.by === 'term';
  const term = f.term === undefined ? DbTypes.Prisma.empty : termCondition(f.term);
  const rows = await reportQuery<Raw>(
    db,
    sql`
    WITH courses AS (
      -- Courses alike for the figures (district, kind, begun) share a number: the aggregation over
      -- every application then hashes one small integer, not three columns.
      SELECT c.id, c.district_id, c.kind, min(s.starts_at) AS first_start, min(s.starts_at) <= ${utcTimestamp(now)} AS begun,
        dense_rank() OVER (ORDER BY c.district_id, c.kind, min(s.starts_at) <= ${utcTimestamp(now)})::int AS bucket
      FROM course c LEFT JOIN course_session s ON s.course_id = c.id
      WHERE c.kind IN ('groupCourse', 'webCourse') ${courseConditions(f, { districtId: sql`c.district_id`, kind: sql`c.kind` })}
      GROUP BY c.id
    ), counted AS (
      SELECT k.bucket ${byTerm ? sql`, ${termOfTimestampSql(sql`a.submitted_at`)} AS term` : DbTypes.Prisma.empty}, a.status,
        -- Only a case that may have started has a wait worth the arithmetic.
        CASE WHEN a.status IN ('admitted', 'completed', 'notCompleted') THEN
          floor(date_part('epoch', CASE WHEN k.kind = 'webCourse' THEN a.decided_at ELSE k.first_start END - a.submitted_at) / 86400)::int
        END AS waiting,
        count(*)::int AS n
      FROM application a JOIN courses k ON k.id = a.course_id
      WHERE true ${term}
      GROUP BY k.bucket ${byTerm ? sql`, term` : DbTypes.Prisma.empty}, a.status, waiting
    ), classified AS (
      SELECT ${key} AS key, x.n, x.waiting, x.status = 'completed' AS completed,
        -- Started: completed or not completed, or admitted to a course that has begun (a web course at once).
        x.status IN ('completed', 'notCompleted') OR (x.status = 'admitted' AND (b.kind = 'webCourse' OR b.begun)) AS started
      FROM counted x JOIN (SELECT DISTINCT bucket, district_id, kind, begun FROM courses) AS b ON b.bucket = x.bucket
    )
    SELECT key::text AS key, sum(n)::int AS applied,
      coalesce(sum(n) FILTER (WHERE started), 0)::int AS started,
      coalesce(sum(n) FILTER (WHERE completed), 0)::int AS completed,
      array_agg(waiting ORDER BY waiting, n) FILTER (WHERE started AND waiting IS NOT NULL) AS waits,
      array_agg(n ORDER BY waiting, n) FILTER (WHERE started AND waiting IS NOT NULL) AS counts
    FROM classified
    GROUP BY key`,
  );

  // The total is the sum of the rows (each case is in exactly one), added up here.
  const groups = new Map<string | null, { applied: number; started: number; completed: number; bins: Bin[] }>();
  const add = (k: string | null, r: Raw) => {
    const g = groups.get(k) ?? { applied: 0, started: 0, completed: 0, bins: [] };
    g.applied += r.applied;
    g.started += r.started;
    g.completed += r.completed;
    // Applied after the first session (a late admission): no wait, not a negative one.
    (r.waits ?? []).forEach((value, i) => g.bins.push({ value: Math.max(0, value), count: r.counts![i] }));
    groups.set(k, g);
  };
  for (const r of rows) {
    add(r.key ?? '', r);
    add(null, r);
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
