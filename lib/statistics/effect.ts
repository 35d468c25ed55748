// The pre/post effect of the measurements (R9.1): pre- and post-measurements pair up by the code
// the parent holds (lib/surveys/pairing.ts), within one course, as on the leader's results page
// (lib/surveys/results.ts, pairedEffect): a code seen twice on one side is ambiguous and left out.
// Per scale question asked both times: the mean before, after, and the mean change. Fewer than
// MIN_ANSWERS pairs hides the figure (or the question). One SQL aggregate.
import type { Db } from '../db';
import { DbTypes } from '../db';
import type { Question } from '../surveys/definitions';
import { MIN_ANSWERS, type SurveyDefinitionRow } from './feedback';
import type { StatisticsFilter } from './filters';
import { courseConditions, reportQuery, type Sql } from './sql';
import { termDays } from './terms';

const sql = DbTypes.Prisma.sql;

export interface EffectRow {
  question: Question;
  /** The question's place among those asked before and after (1, 2, …). */
  number: number;
  /** Pairs that answered the question both times; null when hidden. */
  pairs: number | null;
  preMean: number | null;
  postMean: number | null;
  /** Mean of (post − pre); above zero is better (every statement is worded so). */
  change: number | null;
  hidden: boolean;
}

export interface EffectStatistics {
  /** Pairs under the filter (course kind and district of the course, term of the post-measurement). */
  pairs: number;
  /** False below MIN_ANSWERS pairs: no question is shown. */
  shown: boolean;
  rows: EffectRow[];
}

/** The scale questions the pre- and post-measurement share, in the post-measurement's order. */
export function pairedQuestions(definitions: SurveyDefinitionRow[]): Question[] {
  const scales = (kind: 'preMeasurement' | 'postMeasurement') =>
    definitions.filter((d) => d.kind === kind).flatMap((d) => d.questions.filter((q) => q.type === 'scale'));
  const pre = new Set(scales('preMeasurement').map((q) => q.id));
  const out = new Map<string, Question>();
  for (const q of scales('postMeasurement')) if (pre.has(q.id) && !out.has(q.id)) out.set(q.id, q);
  return [...out.values()];
}

/** A question's value in a response, as SQL: only in the survey versions where it is a scale question. */
function scaleValue(definitions: SurveyDefinitionRow[], id: string): Sql {
  const versions = definitions
    .filter((d) => (d.kind === 'preMeasurement' || d.kind === 'postMeasurement') && d.questions.some((q) => q.id === id && q.type === 'scale'))
    .map((d) => d.id);
  if (!versions.length) return sql`NULL::float8`;
  // One uuid cast per id (immutable: folded into a constant), not an array cast per row.
  return sql`CASE WHEN r.survey_id IN (${DbTypes.Prisma.join(versions.map((v) => sql`${v}::uuid`))}) THEN (r.answers ->> ${id}::text)::float8 END`;
}

type Raw = Record<string, number | null>;

/**
 * One row: the number of pairs, and per question i the pairs that answered it both times (n_i),
 * the mean before (pre_i) and after (post_i) and the mean change (change_i).
 */
export async function effect(db: Db, definitions: SurveyDefinitionRow[], f: StatisticsFilter): Promise<EffectStatistics> {
  const questions = pairedQuestions(definitions);
  const term =
    f.term === undefined
      ? DbTypes.Prisma.empty
      : sql`AND post_on >= ${termDays(f.term).from} AND post_on < ${termDays(f.term).to}`;
  const isPre = sql`d.kind = 'preMeasurement'`;
  const isPost = sql`d.kind = 'postMeasurement'`;
  const sides = questions.map((q, i) => {
    const v = scaleValue(definitions, q.id);
    return sql`, max(${v}) FILTER (WHERE ${isPre}) AS ${DbTypes.Prisma.raw(`pre_${i}`)}, max(${v}) FILTER (WHERE ${isPost}) AS ${DbTypes.Prisma.raw(`post_${i}`)}`;
  });
  const means = questions.map((_, i) => {
    const [pre, post] = [DbTypes.Prisma.raw(`pre_${i}`), DbTypes.Prisma.raw(`post_${i}`)];
    const both = sql`${pre} IS NOT NULL AND ${post} IS NOT NULL`;
    return sql`, count(*) FILTER (WHERE ${both})::int AS ${DbTypes.Prisma.raw(`n_${i}`)},
      avg(${pre}) FILTER (WHERE ${both}) AS ${pre}, avg(${post}) FILTER (WHERE ${both}) AS ${post},
      avg(${post} - ${pre}) FILTER (WHERE ${both}) AS ${DbTypes.Prisma.raw(`change_${i}`)}`;
  });
  const [row] = await reportQuery<Raw>(
    db,
    sql`
    WITH pairs AS (
      -- One group per course and code: a pair when each side was answered exactly once.
      SELECT max(r.answered_on) FILTER (WHERE ${isPost}) AS post_on
        ${DbTypes.Prisma.join(sides, ' ')}
      FROM survey_response r
      JOIN survey_definition d ON d.id = r.survey_id
      JOIN course c ON c.id = r.course_id
      WHERE r.pairing_code IS NOT NULL AND d.kind IN ('preMeasurement', 'postMeasurement')
        AND c.kind IN ('groupCourse', 'webCourse')
        ${courseConditions(f, { districtId: sql`c.district_id`, kind: sql`c.kind` })}
      GROUP BY r.course_id, r.pairing_code
      HAVING count(*) FILTER (WHERE ${isPre}) = 1 AND count(*) FILTER (WHERE ${isPost}) = 1
    )
    SELECT count(*)::int AS pairs ${DbTypes.Prisma.join(means, ' ')}
    FROM pairs WHERE true ${term}`,
  );
  const total = row?.pairs ?? 0;
  const shown = total >= MIN_ANSWERS;
  if (!shown) return { pairs: total, shown, rows: [] };
  return {
    pairs: total,
    shown,
    rows: questions.flatMap((question, i) => {
      const n = row[`n_${i}`] ?? 0;
      if (!n) return [];
      const hidden = n < MIN_ANSWERS;
      return [
        hidden
          ? { question, number: i + 1, pairs: null, preMean: null, postMean: null, change: null, hidden }
          : { question, number: i + 1, pairs: n, preMean: row[`pre_${i}`], postMean: row[`post_${i}`], change: row[`change_${i}`], hidden },
      ];
    }),
  };
}
