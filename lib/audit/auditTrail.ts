// The audit trail of staff access to personal data (R11.5): who opened which case or searched for
// whom, when and why. One table, written here only; central reviews it. Nothing of it goes to the
// application log.
import { createHmac } from 'node:crypto';
import { z } from 'zod';
import type { Db, DbTypes } from '../db';
import { safeEqual } from '../crypto';

export type AuditAction = DbTypes.AuditAction;

/** Why a staff member looks at personal data: a purpose and a few words of their own. */
export const AUDIT_PURPOSES = ['supervision', 'quality', 'citizenRequest', 'archive', 'other'] as const;
export type AuditPurpose = (typeof AUDIT_PURPOSES)[number];

export const StatedReasonSchema = z.object({
  purpose: z.enum(AUDIT_PURPOSES, { error: 'audit.errors.purpose' }),
  detail: z
    .string({ error: 'audit.errors.detail' })
    .trim()
    .min(5, { error: 'audit.errors.detail' })
    .max(300, { error: 'audit.errors.detailTooLong' }),
});
export type StatedReason = z.infer<typeof StatedReasonSchema>;

/** The reason as stored: the purpose's code, then the staff member's words. */
export function reasonText(reason: StatedReason): string {
  return `${reason.purpose}: ${reason.detail}`;
}

/** Reason recorded when a leader, guide or instructor opens a case they handle themselves. */
export const OWN_CASE_REASON = 'handling: eget ärende (kurs, guidning eller utbildning)';

export interface AuditInput {
  actorId: string;
  action: AuditAction;
  applicationId?: string | null;
  caseNumber?: string | null;
  reason: string;
  searchTerms?: string | null;
}

export async function recordAudit(db: Pick<Db, 'auditEntry'>, entry: AuditInput): Promise<void> {
  await db.auditEntry.create({
    data: {
      actorId: entry.actorId,
      action: entry.action,
      applicationId: entry.applicationId ?? null,
      caseNumber: entry.caseNumber ?? null,
      reason: entry.reason,
      searchTerms: entry.searchTerms ?? null,
    },
  });
}

/** How long a stated reason opens the case for the same staff session (reloads need no new reason). */
export const ACCESS_PASS_MS = 30 * 60_000;

/**
 * After a reason was stated and recorded, the case page is opened with a pass: an HMAC over the
 * session, the case and an expiry. It carries no personal data and works for that session only.
 */
export function signAccessPass(secret: string, sessionId: string, applicationId: string, now = Date.now()): string {
  const expires = now + ACCESS_PASS_MS;
  return `${expires}.${passMac(secret, sessionId, applicationId, expires)}`;
}

export function verifyAccessPass(secret: string, sessionId: string, applicationId: string, pass: string | undefined, now = Date.now()): boolean {
  const match = /^(\d{10,16})\.([A-Za-z0-9_-]{20,})$/.exec(pass ?? '');
  if (!match) return false;
  const expires = Number(match[1]);
  if (expires < now) return false;
  return safeEqual(match[2], passMac(secret, sessionId, applicationId, expires));
}

function passMac(secret: string, sessionId: string, applicationId: string, expires: number): string {
  return createHmac('sha256', secret).update(`case-access:${sessionId}:${applicationId}:${expires}`).digest('base64url');
}
