// The SMS adapter at the edge of the world (R2.4). Embedded mode sends nothing: the notification
// log is the dev inbox. (The HTTP provider adapter is configured by SMS_API_URL.)
import type { Config } from '../config';

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

export function createSmsSender(_config: Partial<Config>): SmsSender {
  return { delivers: false, send: async () => ({ providerId: null }) };
}
