// Answering a survey (R2.7, R4.3): the token in the link is the credential, found by its hash.
// Storing marks the invitation used and writes the answers in one transaction, and the answers
// carry nothing that leads back to the invitation, the case or the person: only the course, the
// session or module, and the date. Nothing here logs: a log line with the token would be the missing link.
import { sha256 } from '../crypto';
import type { Db } from '../db';
import { stockholmDateString } from '../time';
import { parseQuestions, type Answers } from './definitions';

/** Tokens are 24 random bytes in base64url; anything else is not looked up. */
const TOKEN_PATTERN = /^[A-Za-z0-9_-]{32}$/;

export async function findInvitation(db: Db, token: string) {
  if (!TOKEN_PATTERN.test(token)) return null;
  const invitation = await db.surveyInvitation.findUnique({
    where: { tokenHash: sha256(token) },
    include: {
      survey: true,
      application: { select: { workflowId: true, caseNumber: true, personId: true, course: { select: { title: true } } } },
    },
  });
  if (!invitation) return null;
  const session = invitation.sessionId
    ? await db.courseSession.findUnique({ where: { id: invitation.sessionId }, select: { startsAt: true } })
    : null;
  return { ...invitation, token, questions: parseQuestions(invitation.survey.questions), session };
}

export type Invitation = NonNullable<Awaited<ReturnType<typeof findInvitation>>>;

export type StoreResult = 'stored' | 'alreadyAnswered';

/**
 * Marks the invitation used only if it was unused (a second answer, even a concurrent one, finds
 * nothing to update) and stores the anonymous response in the same transaction.
 */
export async function storeAnswers(
  db: Db,
  invitation: Pick<Invitation, 'id' | 'surveyId' | 'courseId' | 'sessionId' | 'moduleNumber'>,
  answers: Answers,
  pairingCode: string | null,
  now = new Date(),
): Promise<StoreResult> {
  return db.$transaction(async (tx) => {
    const { count } = await tx.surveyInvitation.updateMany({ where: { id: invitation.id, used: false }, data: { used: true } });
    if (count === 0) return 'alreadyAnswered';
    await tx.surveyResponse.create({
      data: {
        surveyId: invitation.surveyId,
        courseId: invitation.courseId,
        sessionId: invitation.sessionId,
        moduleNumber: invitation.moduleNumber,
        answers,
        pairingCode,
        // The day only: a time of day could be matched against when someone was seen online.
        answeredOn: new Date(`${stockholmDateString(now)}T00:00:00Z`),
      },
    });
    return 'stored';
  });
}
