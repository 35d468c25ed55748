// The notices a case sent (R9.4): every e-mail and SMS its workflows caused is logged under an
// idempotency key that starts with the workflow's id, so the case's notification rows are found by
// that prefix. Resending the last notice re-delivers its logged text through the one delivery path.
import { randomUUID } from 'node:crypto';
import type { Db } from '../db';
import { deliverNotice, type NoticeDeps } from '../notify';
import { NOTICE_EVENT_PREFIX } from '../../rules/caseEvents';

export interface SentNotice {
  id: string;
  channel: 'email' | 'sms';
  subject: string;
  status: 'pending' | 'sent' | 'logged' | 'failed';
  createdAt: Date;
  sentAt: Date | null;
  /** The e-mail's key (an SMS's without its `:sms`): the notice's case event has it as dedupe key. */
  noticeKey: string;
  /** A supervisor's resend: the case event that recorded it. */
  resentBy: string | null;
}

export const NOTICES_SHOWN = 100;

/** The case's notification rows, newest first. `since`: the case's submission (narrows the scan). */
export async function caseNotices(db: Db, workflowIds: string[], since: Date): Promise<SentNotice[]> {
  const rows = await db.notification.findMany({
    where: {
      createdAt: { gte: new Date(since.getTime() - 86_400_000) },
      OR: workflowIds.map((id) => ({ idempotencyKey: { startsWith: `${id}:` } })),
    },
    select: { id: true, channel: true, subject: true, status: true, createdAt: true, sentAt: true, idempotencyKey: true },
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    take: NOTICES_SHOWN,
  });
  return rows.map(({ idempotencyKey, ...row }) => ({
    ...row,
    noticeKey: idempotencyKey.replace(/:sms$/, ''),
    resentBy: /:resend-([0-9a-f-]{36})(?::sms)?$/.exec(idempotencyKey)?.[1] ?? null,
  }));
}

/** The case's last notice to the person: its notice event (whose key the e-mail has), e-mail and SMS. */
export async function lastNotice(db: Db, applicationId: string) {
  const event = await db.caseEvent.findFirst({
    where: { applicationId, type: { startsWith: NOTICE_EVENT_PREFIX }, dedupeKey: { not: null } },
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
  });
  const eventKey = event?.dedupeKey;
  if (!event || !eventKey) return null;
  // Notices are bundled (lib/notices/caseNotices.ts): the e-mail that told of this one may be keyed
  // by another notice of its bundle; one still held was not e-mailed yet, so the last one sent is.
  const told = await db.caseNotice.findUnique({ where: { key: eventKey }, select: { deliveryKey: true } });
  const lastSent = told?.deliveryKey
    ? null
    : await db.caseNotice.findFirst({ where: { applicationId, deliveredAt: { not: null } }, orderBy: { decidedAt: 'desc' }, select: { deliveryKey: true } });
  const key = told?.deliveryKey ?? lastSent?.deliveryKey ?? eventKey;
  // A notice's key is `<workflow id>:notice-<step>`; workflow ids hold no colon.
  if (!key.includes(':')) return null;
  const [email, sms] = await Promise.all([
    db.notification.findUnique({ where: { idempotencyKey: key } }),
    db.notification.findUnique({ where: { idempotencyKey: `${key}:sms` } }),
  ]);
  if (!email || email.channel !== 'email') return null;
  return { event, email, sms: sms?.channel === 'sms' ? sms : null, workflowId: key.slice(0, key.indexOf(':')) };
}

export type ResendResult = { ok: true; eventId: string; notice: string } | { ok: false; code: 'nothingToResend' };

/**
 * Sends the last notice again, the same text to the same address (and number), under a new key
 * `<workflow id>:resend-<event id>`. The event id is chosen first so the caller can record the
 * case event under it once the delivery went through.
 */
export async function resendLastNotice(deps: NoticeDeps, applicationId: string): Promise<ResendResult> {
  const last = await lastNotice(deps.db, applicationId);
  if (!last) return { ok: false, code: 'nothingToResend' };
  const eventId = randomUUID();
  await deliverNotice(deps, {
    email: last.email.recipient,
    phone: last.sms?.recipient ?? null,
    subject: last.email.subject,
    body: last.email.body,
    sms: last.sms?.body ?? '',
    idempotencyKey: `${last.workflowId}:resend-${eventId}`,
  });
  return { ok: true, eventId, notice: last.event.type.slice(NOTICE_EVENT_PREFIX.length) };
}
