// The admin edits a survey by publishing a new version (R8.5 in the brief, R8.4 in the list):
// new invitations take the newest version, and answers already given keep the version they
// answered, since every response points at its definition row.
import type { Db, DbTypes } from '../db';
import type { Question } from '../surveys/definitions';

export const SURVEY_KINDS = ['sessionEvaluation', 'progress', 'preMeasurement', 'postMeasurement', 'childBehaviour', 'courseEvaluation'] as const;
export type SurveyKind = (typeof SURVEY_KINDS)[number];

export function isSurveyKind(v: string): v is SurveyKind {
  return (SURVEY_KINDS as readonly string[]).includes(v);
}

/** The newest version of every kind that has one. */
export async function latestSurveys(db: Db) {
  const all = await db.surveyDefinition.findMany({ orderBy: [{ kind: 'asc' }, { version: 'desc' }], select: { id: true, kind: true, version: true, title: true, createdAt: true, questions: true } });
  const latest = new Map<string, (typeof all)[number]>();
  for (const d of all) if (!latest.has(d.kind)) latest.set(d.kind, d);
  return SURVEY_KINDS.map((kind) => ({ kind, latest: latest.get(kind) ?? null }));
}

/** Stores checked questions as the kind's next version (numbers taken one at a time per kind). */
export async function storeSurveyVersion(db: Db, kind: SurveyKind, title: string, questions: Question[]): Promise<number> {
  return db.$transaction(async (tx) => {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`survey:${kind}`}))`;
    const last = await tx.surveyDefinition.findFirst({ where: { kind }, orderBy: { version: 'desc' }, select: { version: true } });
    const next = (last?.version ?? 0) + 1;
    await tx.surveyDefinition.create({ data: { kind, version: next, title, questions: questions as DbTypes.Prisma.InputJsonValue } });
    return next;
  });
}
