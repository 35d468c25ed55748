// The survey versions the statistics read, and where each keeps its scale answers. Besides the JSON
// answers, survey_response_scale holds every response's answers to its version's scale questions
// as small integers (kept by triggers on survey_response, prisma/migrations/
// 20261124090000_survey_response_scale): answers[i] for the i-th scale question in the definition's
// order. Summing those costs a fraction of looking each key up in the JSON, which was most of the
// feedback and effect figures' time on the embedded database.
import type { Db } from '../db';
import { DbTypes } from '../db';
import { parseQuestions, type Question } from '../surveys/definitions';
import type { SurveyKind } from '../surveys/invitations';
import type { Sql } from './sql';

const sql = DbTypes.Prisma.sql;

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

/** Each scale question's place (1, 2, …) in survey_response_scale.answers of this survey version. */
export function scalePositions(definition: SurveyDefinitionRow): Map<string, number> {
  return new Map(definition.questions.filter((q) => q.type === 'scale').map((q, i) => [q.id, i + 1]));
}

/** The column an unpacked answer place is read from (a1, a2, …). */
export function answerColumn(position: number): Sql {
  return DbTypes.Prisma.raw(`a${position}`);
}

/**
 * `s.answers[1] AS a1, …` for the given places, to select in a subquery kept apart from the
 * aggregates (OFFSET 0): each subscript copies the array, so reading a place once per aggregate
 * would cost more than the sums themselves.
 */
export function unpackAnswers(positions: Iterable<number>): Sql {
  const columns = [...new Set(positions)].map((p) => sql`s.answers[${DbTypes.Prisma.raw(String(p))}] AS ${answerColumn(p)}`);
  return columns.length ? sql`, ${DbTypes.Prisma.join(columns, ', ')}` : DbTypes.Prisma.empty;
}

/** `'…'::uuid, …`: one cast per id (immutable: folded into a constant), not an array cast per row. */
export function uuidList(ids: string[]): Sql {
  return DbTypes.Prisma.join(ids.map((id) => sql`${id}::uuid`));
}
