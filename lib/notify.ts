// The one delivery path for e-mail and SMS: log first, send once, mark sent. Idempotent by key,
// so activities (which Temporal retries) and the login form can both use it safely.
import type { Db } from './db';
import type { Mailer } from './mail/mailer';
import { SmsRejectedError } from './sms/errors';
import { smsNumber } from './sms/smsNumber';
import { renderTemplate } from './templates/messageTemplates';
import type { SmsSender } from './sms/smsSender';

export interface EmailNotice {
  to: string;
  subject: string;
  body: string;
  idempotencyKey: string;
}

/** `failed`: the provider refused the message for good; the row says so and nobody retries. */
export type DeliveryOutcome = 'sent' | 'logged' | 'already-sent' | 'failed';

interface LoggedMessage {
  channel: 'email' | 'sms';
  recipient: string;
  subject: string;
  body: string;
  idempotencyKey: string;
}

interface Transport {
  readonly delivers: boolean;
  send(): Promise<{ providerId: string | null }>;
}

async function deliverOnce(db: Db, message: LoggedMessage, transport: Transport): Promise<DeliveryOutcome> {
  await db.notification.upsert({ where: { idempotencyKey: message.idempotencyKey }, create: message, update: {} });
  const row = await db.notification.findUniqueOrThrow({ where: { idempotencyKey: message.idempotencyKey } });
  if (row.status === 'sent' || row.status === 'logged') return 'already-sent';
  if (row.status === 'failed') return 'failed';
  if (!transport.delivers) {
    await db.notification.update({ where: { id: row.id }, data: { status: 'logged', sentAt: new Date() } });
    return 'logged';
  }
  let providerId: string | null;
  try {
    ({ providerId } = await transport.send());
  } catch (err) {
    // Anything else propagates: the activity is retried and finds the row still pending.
    if (!(err instanceof SmsRejectedError)) throw err;
    await db.notification.update({ where: { id: row.id }, data: { status: 'failed' } });
    return 'failed';
  }
  await db.notification.update({ where: { id: row.id }, data: { status: 'sent', providerId, sentAt: new Date() } });
  return 'sent';
}

/** E-mail only: the login link, and the e-mail half of every notice. */
export function deliverEmail(db: Db, mailer: Mailer, notice: EmailNotice): Promise<DeliveryOutcome> {
  const message = { channel: 'email', recipient: notice.to, subject: notice.subject, body: notice.body, idempotencyKey: notice.idempotencyKey } as const;
  return deliverOnce(db, message, {
    delivers: mailer.delivers,
    send: () => mailer.send({ to: notice.to, subject: notice.subject, text: notice.body, idempotencyKey: notice.idempotencyKey }),
  });
}

export interface SmsNotice {
  /** E.164, as smsNumber() gives it. */
  to: string;
  text: string;
  idempotencyKey: string;
}

export function deliverSms(db: Db, sms: SmsSender, notice: SmsNotice): Promise<DeliveryOutcome> {
  const message = { channel: 'sms', recipient: notice.to, subject: '', body: notice.text, idempotencyKey: notice.idempotencyKey } as const;
  return deliverOnce(db, message, { delivers: sms.delivers, send: () => sms.send(notice) });
}

export interface NoticeDeps {
  db: Db;
  mailer: Mailer;
  sms: SmsSender;
}

/** A notice to one person: e-mail always, SMS too when they have a mobile number (R2.4). */
export interface PersonNotice {
  email: string;
  phone: string | null;
  subject: string;
  /** The e-mail text: a short note and a link, never the case's content. */
  body: string;
  /** The SMS text: as short, as discreet. */
  sms: string;
  /** The e-mail's key; the SMS uses `${idempotencyKey}:sms`. */
  idempotencyKey: string;
}

export async function deliverNotice(deps: NoticeDeps, notice: PersonNotice): Promise<void> {
  await deliverEmail(deps.db, deps.mailer, {
    to: notice.email,
    subject: notice.subject,
    body: notice.body,
    idempotencyKey: notice.idempotencyKey,
  });
  // A number no SMS can reach (a Swedish landline, say) gets the e-mail alone.
  const to = smsNumber(notice.phone);
  if (to) await deliverSms(deps.db, deps.sms, { to, text: notice.sms, idempotencyKey: `${notice.idempotencyKey}:sms` });
}

/**
 * The discreet "something new in your case" text: no content, no programme name, only the link to
 * Mina ärenden, where the person reads it after logging in. The admin may edit it (R8.3); in the
 * person's language, Swedish where that language has no text. Case notices from the workflows are
 * told through lib/notices/caseNotices.ts, which bundles them.
 */
export function caseUpdateNotice(db: Db, link: string, lang = 'sv'): Promise<Pick<PersonNotice, 'subject' | 'body' | 'sms'>> {
  return renderTemplate(db, 'caseUpdate', lang, { link });
}
