// Group leaders (R9.1): how many, how many are active, and their training orientation. One SQL
// aggregate; the district filter narrows the leaders, term and course kind do not apply.
import type { Db } from '../db';
import { DbTypes } from '../db';
import type { StatisticsFilter } from './filters';
import { utcTimestamp } from './sql';

const sql = DbTypes.Prisma.sql;

export interface OrientationRow {
  /** Certificate.trainingTitle; null: the leader holds no Komet certificate. */
  title: string | null;
  leaders: number;
  active: number;
}

export interface LeaderStatistics {
  /** Group leaders: distinct persons with a groupLeader role grant. */
  leaders: number;
  /**
   * Active: a group leader who leads (course contact, or a grant scoped to the course) a group or
   * web course with a session that began within the last 12 months (and not in the future).
   */
  active: number;
  /**
   * Leaders per Komet training they hold a certificate for (a leader with two counts in both);
   * title null for leaders without one. Sorted by the number of leaders, most first.
   */
  orientation: OrientationRow[];
}

interface Raw {
  title: string | null;
  total: boolean;
  leaders: number;
  active: number;
}

/**
 * With a district filter: the leaders granted that district, or a course in it. A leader counts
 * as active for any course they lead.
 */
export async function leaderStatistics(db: Db, f: Pick<StatisticsFilter, 'districtId'>, now: Date): Promise<LeaderStatistics> {
  const district = f.districtId
    ? sql`AND (g.district_id = ${f.districtId}::uuid OR gc.district_id = ${f.districtId}::uuid)`
    : DbTypes.Prisma.empty;
  const until = utcTimestamp(now);
  const since = new Date(now);
  since.setUTCMonth(since.getUTCMonth() - 12);
  const rows = await db.$queryRaw<Raw[]>`
    WITH leaders AS (
      SELECT DISTINCT g.person_id FROM role_grant g LEFT JOIN course gc ON gc.id = g.course_id
      WHERE g.role = 'groupLeader' ${district}
    ), led AS (
      SELECT person_id, course_id FROM course_contact
      UNION
      SELECT person_id, course_id FROM role_grant WHERE role = 'groupLeader' AND course_id IS NOT NULL
    ), active AS (
      SELECT DISTINCT led.person_id FROM led JOIN course c ON c.id = led.course_id
      WHERE c.kind IN ('groupCourse', 'webCourse')
        AND EXISTS (
          SELECT 1 FROM course_session s
          WHERE s.course_id = c.id AND s.starts_at <= ${until} AND s.starts_at > ${utcTimestamp(since)})
    ), held AS (
      SELECT DISTINCT a.person_id, cert.training_title FROM certificate cert JOIN application a ON a.id = cert.application_id
    )
    SELECT h.training_title AS title, GROUPING(h.training_title) = 1 AS total,
      count(DISTINCT l.person_id)::int AS leaders,
      count(DISTINCT l.person_id) FILTER (WHERE ac.person_id IS NOT NULL)::int AS active
    FROM leaders l
    LEFT JOIN active ac ON ac.person_id = l.person_id
    LEFT JOIN held h ON h.person_id = l.person_id
    GROUP BY GROUPING SETS ((h.training_title), ())`;
  const total = rows.find((r) => r.total);
  const orientation = rows
    .filter((r) => !r.total)
    .map((r) => ({ title: r.title, leaders: r.leaders, active: r.active }))
    // Most leaders first; "no training" last; then by title, for a stable order.
    .sort((a, b) => Number(a.title === null) - Number(b.title === null) || b.leaders - a.leaders || (a.title ?? '').localeCompare(b.title ?? '', 'sv'));
  return { leaders: total?.leaders ?? 0, active: total?.active ?? 0, orientation };
}
