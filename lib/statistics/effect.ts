// The pre/post effect of the measurements (R9.1): pre- and post-measurements pair up by the code
// the parent holds (lib/surveys/pairing.ts), within one course, as on the leader's results page
// (lib/surveys/results.ts, pairedEffect): a code seen twice on one side is ambiguous and left out.
// Per scale question asked both times: the mean before, after, and the mean change. Fewer than
// MIN_ANSWERS pairs hides the figure (or the question). One SQL aggregate over the responses'
// scale answers (scaleAnswers.ts).
import type { Db } from '../db';
import { DbTypes } from '../db';
import type { Question } from '../surveys/definitions';
import { MIN_ANSWERS } from './feedback';
import type { StatisticsFilter } from './filters';
import { answerColumn, scalePositions, unpackAnswers, uuidList, type SurveyDefinitionRow } from './scaleAnswers';
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

/**
 * A question's answer in an unpacked row (scaleAnswers.ts), only in the survey versions where it is
 * a scale question: its column when every such version keeps it in one place, else per version.
 */
function scaleValue(versions: SurveyDefinitionRow[], id: string): Sql {
  const places = versions.flatMap((d) => {
    const place = scalePositions(d).get(id);
    return place === undefined ? [] : [{ version: d.id, place }];
  });
  const samePlace = places.length === versions.length && places.every((p) => p.place === places[0].place);
  if (samePlace) return answerColumn(places[0].place);
  if (!places.length) return sql`NULL::smallint`;
  return sql`CASE u.survey_id ${DbTypes.Prisma.join(places.map((p) => sql`WHEN ${p.version}::uuid THEN ${answerColumn(p.place)}`), ' ')} END`;
}

type Raw = Record<string, number | null>;

/**
 * One row: the number of pairs, and per question i the pairs that answered it both times (n_i)
 * and the sums of their answers before (pre_i) and after (post_i): whole numbers, divided here.
 */
export async function effect(db: Db, definitions: SurveyDefinitionRow[], f: StatisticsFilter): Promise<EffectStatistics> {
  const questions = pairedQuestions(definitions);
  const versions = definitions.filter((d) => d.kind === 'preMeasurement' || d.kind === 'postMeasurement');
  const postVersions = versions.filter((d) => d.kind === 'postMeasurement').map((d) => d.id);
  // Without both sides no code can pair up.
  if (!postVersions.length || postVersions.length === versions.length) return { pairs: 0, shown: false, rows: [] };
  const places = versions.flatMap((d) => questions.flatMap((q) => scalePositions(d).get(q.id) ?? []));
  const term =
    f.term === undefined
      ? DbTypes.Prisma.empty
      : sql`AND p.post_on >= ${termDays(f.term).from} AND p.post_on < ${termDays(f.term).to}`;
  const sides = questions.map((q, i) => {
    const v = scaleValue(versions, q.id);
    return sql`, max(${v}) FILTER (WHERE NOT u.post) AS ${DbTypes.Prisma.raw(`pre_${i}`)}, max(${v}) FILTER (WHERE u.post) AS ${DbTypes.Prisma.raw(`post_${i}`)}`;
  });
  const sums = questions.map((_, i) => {
    const [pre, post] = [DbTypes.Prisma.raw(`pre_${i}`), DbTypes.Prisma.raw(`post_${i}`)];
    const both = sql`${pre} IS NOT NULL AND ${post} IS NOT NULL`;
    return sql`, count(*) FILTER (WHERE ${both})::int AS ${DbTypes.Prisma.raw(`n_${i}`)},
      sum(${pre}) FILTER (WHERE ${both})::int AS ${pre}, sum(${post}) FILTER (WHERE ${both})::int AS ${post}`;
  });
  const [row] = await reportQuery<Raw>(
    db,
    sql`
    SELECT count(*)::int AS pairs ${DbTypes.Prisma.join(sums, ' ')}
    FROM (
      -- One group per course and code: a pair when each side was answered exactly once.
      SELECT u.course_id, max(u.answered_on) FILTER (WHERE u.post) AS post_on ${DbTypes.Prisma.join(sides, ' ')}
      FROM (
        SELECT s.course_id, s.pairing_code, s.answered_on, s.survey_id, s.survey_id IN (${uuidList(postVersions)}) AS post
          ${unpackAnswers(places)}
        FROM survey_response_scale s
        WHERE s.pairing_code IS NOT NULL AND s.survey_id IN (${uuidList(versions.map((d) => d.id))})
        OFFSET 0
      ) AS u
      GROUP BY u.course_id, u.pairing_code
      HAVING count(*) FILTER (WHERE NOT u.post) = 1 AND count(*) FILTER (WHERE u.post) = 1
    ) AS p
    JOIN course c ON c.id = p.course_id
    WHERE c.kind IN ('groupCourse', 'webCourse')
      ${courseConditions(f, { districtId: sql`c.district_id`, kind: sql`c.kind` })} ${term}`,
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
      const [pre, post] = [row[`pre_${i}`] ?? 0, row[`post_${i}`] ?? 0];
      return [
        hidden
          ? { question, number: i + 1, pairs: null, preMean: null, postMean: null, change: null, hidden }
          : { question, number: i + 1, pairs: n, preMean: pre / n, postMean: post / n, change: (post - pre) / n, hidden },
      ];
    }),
  };
}
