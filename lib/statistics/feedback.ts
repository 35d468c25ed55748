// The parents' feedback on the leaders (R9.1, R9.2): delivery, quality and programme fidelity from
// the session and course evaluations, comparable across districts. Answers carry no person
// (R4.3); any group with fewer than MIN_ANSWERS answers is hidden, as one answer in a small group
// points at a person. One SQL aggregate over the responses' scale answers (scaleAnswers.ts).
import type { Db } from '../db';
import { DbTypes } from '../db';
import type { SurveyKind } from '../surveys/invitations';
import type { StatisticsFilter } from './filters';
import { answerColumn, scalePositions, unpackAnswers, uuidList, type SurveyDefinitionRow } from './scaleAnswers';
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

/** One source row: a breakdown value's answers to one survey version (per place, per set of places). */
type Raw = { key: string | null; survey_id: string } & Record<string, number | null>;

/** The places (in survey_response_scale.answers) each measure reads in one survey version. */
type MeasurePlaces = Record<FeedbackMeasure, number[]>;

function measurePlaces(definition: SurveyDefinitionRow): MeasurePlaces {
  const positions = scalePositions(definition);
  const places = {} as MeasurePlaces;
  for (const measure of FEEDBACK_MEASURES) {
    const sources = MEASURE_SOURCES[measure].filter((s) => s.survey === definition.kind);
    places[measure] = [...new Set(sources.flatMap((s) => scaleIds([definition], s)).map((id) => positions.get(id)!))].sort((a, b) => a - b);
  }
  return places;
}

/** The column counting the responses that answered any of several places (one place: its count). */
const anyName = (places: number[]) => (places.length === 1 ? `n${places[0]}` : `any_${places.join('_')}`);

/**
 * Per place a measure reads: the sum and number of its answers; per set of places one measure reads
 * in one version: the responses that answered any of them (a response answers one version only).
 */
function placeAggregates(placeSets: number[][]): Sql {
  const places = [...new Set(placeSets.flat())];
  const parts = places.map((p) => {
    const [a, sum, n] = [answerColumn(p), DbTypes.Prisma.raw(`sum${p}`), DbTypes.Prisma.raw(`n${p}`)];
    return sql`, sum(${a})::int AS ${sum}, count(${a})::int AS ${n}`;
  });
  const anySets = new Map(placeSets.filter((set) => set.length > 1).map((set) => [set.join('_'), set]));
  for (const set of anySets.values()) {
    const any = DbTypes.Prisma.join(set.map((p) => sql`${answerColumn(p)} IS NOT NULL`), ' OR ');
    parts.push(sql`, count(*) FILTER (WHERE ${any})::int AS ${DbTypes.Prisma.raw(anyName(set))}`);
  }
  return parts.length ? DbTypes.Prisma.join(parts, ' ') : DbTypes.Prisma.empty;
}

type Tally = Record<FeedbackMeasure, { answers: number; sum: number; n: number }>;

/**
 * The rows of the breakdown, then the total (key null); term from the answer's date. The SQL sums
 * per survey version and course (and term), a few hundred rows; the measures add up here.
 */
export async function feedback(db: Db, definitions: SurveyDefinitionRow[], f: StatisticsFilter): Promise<FeedbackRow[]> {
  const surveys = new Set(FEEDBACK_MEASURES.flatMap((m) => MEASURE_SOURCES[m].map((s) => s.survey)));
  const versions = new Map(definitions.filter((d) => surveys.has(d.kind)).map((d) => [d.id, measurePlaces(d)]));
  const tallies = new Map<string | null, Tally>([[null, emptyTally()]]);
  if (versions.size) {
    const placeSets = [...versions.values()].flatMap((places) => Object.values(places)).filter((set) => set.length);
    const byTerm = f.by === 'term';
    const term =
      f.term === undefined
        ? DbTypes.Prisma.empty
        : sql`AND s.answered_on >= ${termDays(f.term).from} AND s.answered_on < ${termDays(f.term).to}`;
    const key = breakdownKey(f.by, { districtId: sql`c.district_id`, kind: sql`c.kind`, term: sql`g.term` });
    const rows = await reportQuery<Raw>(
      db,
      sql`
      SELECT ${key}::text AS key, g.*
      FROM (
        SELECT u.course_id, u.survey_id ${byTerm ? sql`, u.term` : DbTypes.Prisma.empty} ${placeAggregates(placeSets)}
        FROM (
          SELECT s.course_id, s.survey_id ${byTerm ? sql`, ${termSql(sql`s.answered_on`)} AS term` : DbTypes.Prisma.empty}
            ${unpackAnswers(placeSets.flat())}
          FROM survey_response_scale s
          WHERE s.survey_id IN (${uuidList([...versions.keys()])}) ${term}
          OFFSET 0
        ) AS u
        GROUP BY u.course_id, u.survey_id ${byTerm ? sql`, u.term` : DbTypes.Prisma.empty}
      ) AS g
      JOIN course c ON c.id = g.course_id
      WHERE c.kind IN ('groupCourse', 'webCourse') ${courseConditions(f, { districtId: sql`c.district_id`, kind: sql`c.kind` })}`,
    );
    for (const r of rows) {
      const places = versions.get(r.survey_id)!;
      for (const k of [r.key ?? '', null]) {
        const tally = tallies.get(k) ?? emptyTally();
        for (const measure of FEEDBACK_MEASURES) {
          const set = places[measure];
          if (!set.length) continue;
          tally[measure].answers += r[anyName(set)] ?? 0;
          for (const p of set) {
            tally[measure].sum += r[`sum${p}`] ?? 0;
            tally[measure].n += r[`n${p}`] ?? 0;
          }
        }
        tallies.set(k, tally);
      }
    }
  }
  return [...tallies].map(([k, tally]) => ({
    key: k,
    measures: Object.fromEntries(FEEDBACK_MEASURES.map((m) => [m, cell(tally[m].answers, tally[m].sum, tally[m].n)])) as FeedbackRow['measures'],
  }));
}

function emptyTally(): Tally {
  return Object.fromEntries(FEEDBACK_MEASURES.map((m) => [m, { answers: 0, sum: 0, n: 0 }])) as Tally;
}

function cell(answers: number, sum: number, n: number): FeedbackCell {
  // No answers at all tells nothing about anyone: shown as none, not as too few.
  const hidden = answers > 0 && answers < MIN_ANSWERS;
  return { answers: hidden ? null : answers, mean: hidden || !n ? null : sum / n, hidden };
}
