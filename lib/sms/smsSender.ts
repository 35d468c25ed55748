// The SMS adapter at the edge of the world (R2.4). Embedded mode sends nothing: the notification
// log is the dev inbox. SMS_API_URL switches on the HTTP provider (46elks' API, elksSender.ts).
import type { Config } from '../config';
import { createElksSender } from './elksSender';

export { SmsDeliveryError, SmsRejectedError } from './errors';

export interface OutgoingSms {
  /** E.164, e.g. +46701234567. */
  to: string;
  text: string;
  idempotencyKey: string;
}

export interface SmsSender {
  /** False when messages are only logged (embedded mode). */
  readonly delivers: boolean;
  send(message: OutgoingSms): Promise<{ providerId: string | null }>;
}

export type SmsConfig = Pick<Config, 'SMS_API_URL' | 'SMS_API_USERNAME' | 'SMS_API_PASSWORD' | 'SMS_FROM'>;

export function createSmsSender(config: Partial<SmsConfig>): SmsSender {
  if (!config.SMS_API_URL) return { delivers: false, send: async () => ({ providerId: null }) };
  return createElksSender({
    url: config.SMS_API_URL,
    username: config.SMS_API_USERNAME ?? '',
    password: config.SMS_API_PASSWORD ?? '',
    from: config.SMS_FROM ?? 'Stockholm',
  });
}
