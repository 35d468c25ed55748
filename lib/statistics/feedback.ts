// The parents' feedback on the leaders (R9.1, R9.2): delivery, quality and programme fidelity from
// the session and course evaluations, comparable across districts. Answers carry no person
// (R4.3); any group with fewer than MIN_ANSWERS answers is hidden, as one answer in a small group
// points at a person. One SQL aggregate over the responses.
import type { Db } from '../db';
import { DbTypes } from '../db';
import { parseQuestions, type Question } from '../surveys/definitions';
import type { SurveyKind } from '../surveys/invitations';
import type { StatisticsFilter } from './filters';
import { breakdownKey, courseConditions, reportQuery, type Sql } from './sql';
import { termDays, termSql } from './terms';

const sql = DbTypes.Prisma.sql;

/** Groups with fewer answers (or pre/post pairs) than this are hidden in table, chart and CSV. */
export const MIN_ANSWERS = 5;

export const FEEDBACK_MEASURES = ['delivery', 'quality', 'fidelity'] as const;
export type FeedbackMeasure = (typeof FEEDBACK_MEASURES)[number];

/** Which scale questions of which survey a measure averages; 'all' takes every scale question. */
type MeasureSource = { survey: SurveyKind; questions: string[] | 'all' };

/**
 * The measures, read from the seeded surveys (prisma/seedSurveys.ts):
 * - delivery (genomförande): the course evaluation's "Hur väl fick du stöd av gruppledarna eller
 *   din guide?" (`support`), the one question about the leaders themselves;
 * - quality (kvalitet): the course evaluation's overall satisfaction (`overall`) and whether the
 *   parent would recommend Komet (`recommend`);
 * - fidelity (programtrohet): every scale answer of the session evaluations, as the leader's own
 *   results page counts it (lib/surveys/results.ts, fidelityPoint).
 * Each is the mean of all its answers on the 1–5 scale; a later survey version counts when it keeps
 * the question id as a scale question.
 */
export const MEASURE_SOURCES: Record<FeedbackMeasure, MeasureSource[]> = {
  delivery: [{ survey: 'courseEvaluation', questions: ['support'] }],
  quality: [{ survey: 'courseEvaluation', questions: ['overall', 'recommend'] }],
  fidelity: [{ survey: 'sessionEvaluation', questions: 'all' }],
};

export interface SurveyDefinitionRow {
  id: string;
  kind: SurveyKind;
  version: number;
  questions: Question[];
}

/** Every version of the surveys the statistics read, questions parsed as the surveys do. */
export async function loadDefinitions(db: Db): Promise<SurveyDefinitionRow[]> {
  const rows = await db.surveyDefinition.findMany({
    where: { kind: { in: ['sessionEvaluation', 'courseEvaluation', 'preMeasurement', 'postMeasurement'] } },
    select: { id: true, kind: true, version: true, questions: true },
    orderBy: [{ kind: 'asc' }, { version: 'asc' }],
  });
  return rows.map((r) => ({ id: r.id, kind: r.kind, version: r.version, questions: parseQuestions(r.questions) }));
}

/** The scale question ids, in the given survey versions of the source's kind, that a source names. */
export function scaleIds(definitions: SurveyDefinitionRow[], source: MeasureSource): string[] {
  const ids = new Set<string>();
  for (const d of definitions.filter((d) => d.kind === source.survey)) {
    for (const q of d.questions) if (q.type === 'scale' && (source.questions === 'all' || source.questions.includes(q.id))) ids.add(q.id);
  }
  return [...ids];
}

export interface FeedbackCell {
  /** Responses with at least one answer to the measure's questions; null when hidden. */
  answers: number | null;
  /** Mean on the 1–5 scale; null when hidden (1 to MIN_ANSWERS − 1 answers) or unanswered. */
  mean: number | null;
  hidden: boolean;
}

export interface FeedbackRow {
  /** Breakdown key as in participation(); null for the total. */
  key: string | null;
  measures: Record<FeedbackMeasure, FeedbackCell>;
}

type Raw = { key: string | null; total: boolean } & Record<`${FeedbackMeasure}_n` | `${FeedbackMeasure}_answers`, number> &
  Record<`${FeedbackMeasure}_sum`, number | null>;

/**
 * Each scale question a measure reads, per survey version: extracted once per response into a
 * column of its own (x0, x1, …): NULL unless the response is of that version and answered it. A
 * scale answer is stored as a number (answersValidator), so ->> casts without a check.
 */
function extractions(definitions: SurveyDefinitionRow[]) {
  const columns: Sql[] = [];
  const byMeasure = {} as Record<FeedbackMeasure, DbTypes.Prisma.Sql[]>;
  for (const measure of FEEDBACK_MEASURES) {
    byMeasure[measure] = [];
    for (const source of MEASURE_SOURCES[measure]) {
      for (const d of definitions.filter((d) => d.kind === source.survey)) {
        for (const id of scaleIds([d], source)) {
          const name = DbTypes.Prisma.raw(`x${columns.length}`);
          columns.push(sql`CASE WHEN r.survey_id = ${d.id}::uuid THEN (r.answers ->> ${id}::text)::float8 END AS ${name}`);
          byMeasure[measure].push(name);
        }
      }
    }
  }
  return { columns, byMeasure };
}

/** Per measure over the extracted columns: its answers (responses with any), sum and number of values. */
function measureAggregates(measure: FeedbackMeasure, cols: Sql[]): Sql {
  const [answers, total, n] = ['answers', 'sum', 'n'].map((part) => DbTypes.Prisma.raw(`${measure}_${part}`));
  if (!cols.length) return sql`0 AS ${answers}, NULL::float8 AS ${total}, 0 AS ${n}`;
  const any = DbTypes.Prisma.join(cols.map((c) => sql`${c} IS NOT NULL`), ' OR ');
  const sum = DbTypes.Prisma.join(cols.map((c) => sql`coalesce(sum(${c}), 0)`), ' + ');
  const count = DbTypes.Prisma.join(cols.map((c) => sql`count(${c})`), ' + ');
  return sql`count(*) FILTER (WHERE ${any})::int AS ${answers}, (${sum})::float8 AS ${total}, (${count})::int AS ${n}`;
}

/** The rows of the breakdown, then the total (key null); term from the answer's date. */
export async function feedback(db: Db, definitions: SurveyDefinitionRow[], f: StatisticsFilter): Promise<FeedbackRow[]> {
  const key = breakdownKey(f.by, { districtId: sql`c.district_id`, kind: sql`c.kind`, term: termSql(sql`r.answered_on`) });
  const term =
    f.term === undefined
      ? DbTypes.Prisma.empty
      : sql`AND r.answered_on >= ${termDays(f.term).from} AND r.answered_on < ${termDays(f.term).to}`;
  const { columns, byMeasure } = extractions(definitions);
  const rows = await reportQuery<Raw>(
    db,
    sql`
    SELECT key::text AS key, GROUPING(key) = 1 AS total,
      ${DbTypes.Prisma.join(FEEDBACK_MEASURES.map((m) => measureAggregates(m, byMeasure[m])), ', ')}
    FROM (
      SELECT ${key} AS key ${columns.length ? sql`, ${DbTypes.Prisma.join(columns, ', ')}` : DbTypes.Prisma.empty}
      FROM survey_response r
      JOIN survey_definition d ON d.id = r.survey_id
      JOIN course c ON c.id = r.course_id
      WHERE d.kind IN ('sessionEvaluation', 'courseEvaluation') AND c.kind IN ('groupCourse', 'webCourse')
        ${courseConditions(f, { districtId: sql`c.district_id`, kind: sql`c.kind` })} ${term}
      -- Not merged into the outer query: each answer is extracted once, not once per aggregate.
      OFFSET 0
    ) AS answered
    GROUP BY GROUPING SETS ((key), ())`,
  );
  return rows.map((r) => ({
    key: r.total ? null : (r.key ?? ''),
    measures: Object.fromEntries(FEEDBACK_MEASURES.map((k) => [k, cell(r[`${k}_answers`], r[`${k}_sum`], r[`${k}_n`])])) as FeedbackRow['measures'],
  }));
}

function cell(answers: number, sum: number | null, n: number): FeedbackCell {
  // No answers at all tells nothing about anyone: shown as none, not as too few.
  const hidden = answers > 0 && answers < MIN_ANSWERS;
  return { answers: hidden ? null : answers, mean: hidden || !n || sum === null ? null : sum / n, hidden };
}
