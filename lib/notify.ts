// The one delivery path for e-mail: log first, send once, mark sent. Idempotent by key, so
// activities (which Temporal retries) and the login form can both use it safely.
import type { Db } from './db';
import type { Mailer } from './mail/mailer';
import type { SmsSender } from './sms/smsSender';

export interface EmailNotice {
  to: string;
  subject: string;
  body: string;
  idempotencyKey: string;
}

export type DeliveryOutcome = 'sent' | 'logged' | 'already-sent';

export async function deliverEmail(db: Db, mailer: Mailer, notice: EmailNotice): Promise<DeliveryOutcome> {
  await db.notification.upsert({
    where: { idempotencyKey: notice.idempotencyKey },
    create: {
      channel: 'email',
      recipient: notice.to,
      subject: notice.subject,
      body: notice.body,
      idempotencyKey: notice.idempotencyKey,
    },
    update: {},
  });
  const row = await db.notification.findUniqueOrThrow({ where: { idempotencyKey: notice.idempotencyKey } });
  if (row.status === 'sent' || row.status === 'logged') return 'already-sent';
  if (!mailer.delivers) {
    await db.notification.update({ where: { id: row.id }, data: { status: 'logged', sentAt: new Date() } });
    return 'logged';
  }
  const { providerId } = await mailer.send({
    to: notice.to,
    subject: notice.subject,
    text: notice.body,
    idempotencyKey: notice.idempotencyKey,
  });
  await db.notification.update({ where: { id: row.id }, data: { status: 'sent', providerId, sentAt: new Date() } });
  return 'sent';
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
  // SMS delivery through deps.sms is added with the SMS adapter.
}
