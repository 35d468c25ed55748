// The e-mail adapter at the edge of the world. Embedded mode sends nothing: the notification
// log is the dev inbox. Production uses Resend (its SDK honours RESEND_BASE_URL).
import { Resend } from 'resend';
import type { Config } from '../config';

export interface OutgoingEmail {
  to: string;
  subject: string;
  text: string;
  /** Passed to the provider so a retried activity cannot send twice (Resend keeps it 24 h). */
  idempotencyKey: string;
}

export interface Mailer {
  /** False when messages are only logged (embedded mode). */
  readonly delivers: boolean;
  send(message: OutgoingEmail): Promise<{ providerId: string | null }>;
}

export class MailDeliveryError extends Error {}

export function createMailer(config: Pick<Config, 'RESEND_API_KEY' | 'RESEND_BASE_URL' | 'MAIL_FROM'>): Mailer {
  if (!config.RESEND_API_KEY) return { delivers: false, send: async () => ({ providerId: null }) };
  if (config.RESEND_BASE_URL) process.env.RESEND_BASE_URL = config.RESEND_BASE_URL;
  const resend = new Resend(config.RESEND_API_KEY);
  return {
    delivers: true,
    async send(message) {
      const { data, error } = await resend.emails.send(
        { from: config.MAIL_FROM, to: [message.to], subject: message.subject, text: message.text },
        { idempotencyKey: message.idempotencyKey },
      );
      // Thrown errors make Temporal retry the activity (429 included) with the same key.
      if (error) throw new MailDeliveryError(`Resend: ${error.name}`);
      return { providerId: data?.id ?? null };
    },
  };
}
