// Parents in the parent courses (R9.1): who applied, started and completed, the completion rate
// and the waiting time from application to start, per district, course kind or term. The cases
// are counted by the database as they change (application_tally, migration
// 20261202150000_application_tally): one SQL aggregate over those counts per breakdown value,
// status and waiting day; the total is their sum and the median is read off the day counts.
import type { Db } from '../db';
import { DbTypes } from '../db';
import type { StatisticsFilter } from './filters';
import { breakdownKey, courseConditions, reportQuery, utcTimestamp } from './sql';
import { termOfTimestampSql, type TermIndex } from './terms';

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
 * a course's first session has begun. The SQL adds up application_tally, the applications counted
 * per course, term, status and waiting day by the database's triggers (a few thousand rows, not
 * every case), per breakdown value: the counts, and the waiting days as counts per day; the median
 * is read off those.
 */
export async function participation(db: Db, f: StatisticsFilter, now: Date): Promise<ParticipationRow[]> {
  const key = breakdownKey(f.by, { districtId: sql`k.district_id`, kind: sql`k.kind`, term: sql`t.term` });
  const term = f.term === undefined ? DbTypes.Prisma.empty : sql`AND t.term = ${f.term}::int`;
  const rows = await reportQuery<Raw>(
    db,
    sql`
    WITH courses AS (
      SELECT c.id, c.district_id, c.kind, min(s.starts_at) <= ${utcTimestamp(now)} AS begun
      FROM course c LEFT JOIN course_session s ON s.course_id = c.id
      WHERE c.kind IN ('groupCourse', 'webCourse') ${courseConditions(f, { districtId: sql`c.district_id`, kind: sql`c.kind` })}
      GROUP BY c.id
    ), classified AS (
      SELECT ${key} AS key, t.n, t.waiting, t.status = 'completed' AS completed,
        -- Started: completed or not completed, or admitted to a course that has begun (a web course at once).
        t.status IN ('completed', 'notCompleted') OR (t.status = 'admitted' AND (k.kind = 'webCourse' OR k.begun)) AS started
      FROM application_tally t JOIN courses k ON k.id = t.course_id
      WHERE true ${term}
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
    (r.waits ?? []).forEach((value, i) => g.bins.push({ value, count: r.counts![i] }));
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
