// Survey invitations (R2.7, R4.3): who is asked to answer which survey. An invitation knows the
// person, to remind them; the answer never knows the invitation (see answering).
import { randomBytes } from 'node:crypto';
import type { Db, DbTypes } from '../db';

export type SurveyKind = DbTypes.SurveyKind;

export interface OpenSurveysInput {
  applicationId: string;
  courseId: string;
  sessionId?: string | null;
  moduleNumber?: number | null;
  kinds: SurveyKind[];
  /** workflow id + step: opening the same round again returns the same invitations. */
  dedupePrefix: string;
}

/** Opens one invitation per kind with the newest version of its survey. Idempotent. */
export async function openSurveyInvitations(db: Db, input: OpenSurveysInput) {
  const opened = [];
  for (const kind of input.kinds) {
    const survey = await db.surveyDefinition.findFirst({ where: { kind }, orderBy: { version: 'desc' } });
    if (!survey) continue; // a kind without a definition is simply not asked
    const dedupeKey = `${input.dedupePrefix}:${kind}`;
    opened.push(
      await db.surveyInvitation.upsert({
        where: { dedupeKey },
        create: {
          surveyId: survey.id,
          applicationId: input.applicationId,
          courseId: input.courseId,
          sessionId: input.sessionId ?? null,
          moduleNumber: input.moduleNumber ?? null,
          token: randomBytes(24).toString('base64url'),
          dedupeKey,
        },
        update: {},
      }),
    );
  }
  return opened;
}

/** The round's invitations still unanswered (for the one reminder). */
export async function unansweredInvitations(db: Db, dedupePrefix: string) {
  return db.surveyInvitation.findMany({ where: { dedupeKey: { startsWith: `${dedupePrefix}:` }, used: false } });
}

export interface CaseSurvey {
  kind: SurveyKind;
  token: string;
  used: boolean;
  sessionStartsAt: Date | null;
  moduleNumber: number | null;
}

/** A case's surveys for "Mina ärenden": open ones first, then answered; newest first within each. */
export async function caseSurveys(db: Db, applicationId: string): Promise<CaseSurvey[]> {
  const rows = await db.surveyInvitation.findMany({
    where: { applicationId },
    select: { token: true, used: true, sessionId: true, moduleNumber: true, survey: { select: { kind: true } } },
    orderBy: [{ used: 'asc' }, { createdAt: 'desc' }],
    take: 100,
  });
  const sessionIds = rows.map((r) => r.sessionId).filter((id): id is string => !!id);
  const sessions = sessionIds.length
    ? new Map((await db.courseSession.findMany({ where: { id: { in: sessionIds } }, select: { id: true, startsAt: true } })).map((s) => [s.id, s.startsAt]))
    : new Map<string, Date>();
  return rows.map((r) => ({
    kind: r.survey.kind,
    token: r.token,
    used: r.used,
    sessionStartsAt: r.sessionId ? (sessions.get(r.sessionId) ?? null) : null,
    moduleNumber: r.moduleNumber,
  }));
}
