// Survey invitations (R2.7, R4.3): who is asked to answer which survey. An invitation knows the
// person, to remind them; the answer never knows the invitation (see answering).
// The token in the answer link is the credential, so only its hash is stored (issue 14, as login
// and consent tokens). The token itself is derived from SESSION_SECRET and the invitation's id,
// so "Mina ärenden" can show the link again while the database alone cannot rebuild it.
import { createHmac, randomUUID } from 'node:crypto';
import { sha256 } from '../crypto';
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

/** The token of an invitation's answer link: 24 bytes of an HMAC, 32 base64url characters. */
export function surveyToken(secret: string, invitationId: string): string {
  return createHmac('sha256', secret).update(`survey-token:${invitationId}`).digest().subarray(0, 24).toString('base64url');
}

/** Opens one invitation per kind with the newest version of its survey. Idempotent. */
export async function openSurveyInvitations(db: Db, secret: string, input: OpenSurveysInput) {
  const opened = [];
  for (const kind of input.kinds) {
    const survey = await db.surveyDefinition.findFirst({ where: { kind }, orderBy: { version: 'desc' } });
    if (!survey) continue; // a kind without a definition is simply not asked
    const dedupeKey = `${input.dedupePrefix}:${kind}`;
    const id = randomUUID();
    const row = await db.surveyInvitation.upsert({
      where: { dedupeKey },
      create: {
        id,
        surveyId: survey.id,
        applicationId: input.applicationId,
        courseId: input.courseId,
        sessionId: input.sessionId ?? null,
        moduleNumber: input.moduleNumber ?? null,
        tokenHash: sha256(surveyToken(secret, id)),
        dedupeKey,
      },
      update: {},
    });
    opened.push({ ...row, token: surveyToken(secret, row.id) });
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
export async function caseSurveys(db: Db, secret: string, applicationId: string): Promise<CaseSurvey[]> {
  const rows = await db.surveyInvitation.findMany({
    where: { applicationId },
    select: { id: true, tokenHash: true, used: true, sessionId: true, moduleNumber: true, survey: { select: { kind: true } } },
    orderBy: [{ used: 'asc' }, { createdAt: 'desc' }],
    take: 100,
  });
  await rekeyLegacyInvitations(db, secret, rows);
  const sessionIds = rows.map((r) => r.sessionId).filter((id): id is string => !!id);
  const sessions = sessionIds.length
    ? new Map((await db.courseSession.findMany({ where: { id: { in: sessionIds } }, select: { id: true, startsAt: true } })).map((s) => [s.id, s.startsAt]))
    : new Map<string, Date>();
  return rows.map((r) => ({
    kind: r.survey.kind,
    token: surveyToken(secret, r.id),
    used: r.used,
    sessionStartsAt: r.sessionId ? (sessions.get(r.sessionId) ?? null) : null,
    moduleNumber: r.moduleNumber,
  }));
}

/**
 * Invitations from before tokens were derived (migration 20261207110002 hashed their random tokens
 * in place) get the hash of their derived token the first time their case lists them, so the
 * link shown from then on works. Until then the old link, if someone kept it, still did.
 */
async function rekeyLegacyInvitations(db: Db, secret: string, rows: { id: string; tokenHash: string; used: boolean }[]): Promise<void> {
  for (const row of rows) {
    const tokenHash = sha256(surveyToken(secret, row.id));
    if (row.used || row.tokenHash === tokenHash) continue;
    await db.surveyInvitation.updateMany({ where: { id: row.id, tokenHash: row.tokenHash }, data: { tokenHash } });
    row.tokenHash = tokenHash;
  }
}
