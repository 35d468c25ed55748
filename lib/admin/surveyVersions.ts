// The admin edits a survey by publishing a new version (R8.5 in the brief, R8.4 in the list):
// new invitations take the newest version, and answers already given keep the version they
// answered, since every response points at its definition row.
import { z } from 'zod';
import type { Db, DbTypes } from '../db';
import { QuestionsSchema } from '../surveys/definitions';

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

export type VersionResult = { ok: true; version: number } | { ok: false; errors: Record<string, { key: string; params?: Record<string, string> }> };

const Title = z.string().trim().min(1, 'errors.required').max(200, 'errors.tooLong');

/** Validates the questions with the survey schema and stores them as the kind's next version. */
export async function publishSurveyVersion(db: Db, kind: SurveyKind, form: { title: string; questions: string }): Promise<VersionResult> {
  const errors: Record<string, { key: string; params?: Record<string, string> }> = {};
  const title = Title.safeParse(form.title);
  if (!title.success) errors.title = { key: title.error.issues[0].message };
  let questions: unknown;
  try {
    questions = JSON.parse(form.questions);
  } catch {
    errors.questions = { key: 'admin.surveys.errors.json' };
  }
  if (!errors.questions) {
    const parsed = QuestionsSchema.safeParse(questions);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      errors.questions = { key: 'admin.surveys.errors.schema', params: { detail: `${issue.path.join('.') || '–'}: ${issue.message}` } };
    } else questions = parsed.data;
  }
  if (Object.keys(errors).length || !title.success) return { ok: false, errors };
  const version = await db.$transaction(async (tx) => {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`survey:${kind}`}))`;
    const last = await tx.surveyDefinition.findFirst({ where: { kind }, orderBy: { version: 'desc' }, select: { version: true } });
    const next = (last?.version ?? 0) + 1;
    await tx.surveyDefinition.create({ data: { kind, version: next, title: title.data, questions: questions as DbTypes.Prisma.InputJsonValue } });
    return next;
  });
  return { ok: true, version };
}
