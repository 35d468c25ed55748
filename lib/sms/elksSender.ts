// HTTP adapter for 46elks (a Swedish SMS provider): POST {url}/a1/sms, form-encoded from/to/message,
// HTTP Basic auth, JSON answer with the message id. Errors throw so Temporal retries the activity;
// a refusal that can never succeed throws SmsRejectedError instead.
import { SmsDeliveryError, SmsRejectedError } from './errors';
import type { SmsSender } from './smsSender';

export interface ElksOptions {
  url: string;
  username: string;
  password: string;
  from: string;
  timeoutMs?: number;
}

/** 4xx answers that a later attempt may get past: credentials or credit fixed, rate limit lifted. */
const RETRYABLE_4XX = new Set([401, 402, 403, 408, 409, 425, 429]);

export function createElksSender(options: ElksOptions): SmsSender {
  const endpoint = `${options.url.replace(/\/$/, '')}/a1/sms`;
  const authorization = `Basic ${Buffer.from(`${options.username}:${options.password}`).toString('base64')}`;
  return {
    delivers: true,
    async send(message) {
      let res: Response;
      try {
        res = await fetch(endpoint, {
          method: 'POST',
          headers: { authorization, 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
          body: new URLSearchParams({ from: options.from, to: message.to, message: message.text }),
          signal: AbortSignal.timeout(options.timeoutMs ?? 15_000),
        });
      } catch (err) {
        throw new SmsDeliveryError(`SMS provider unreachable: ${(err as Error).name}`);
      }
      // The provider's error text may echo the number: never put it in the error (errors reach logs and Temporal).
      if (res.status >= 400 && res.status < 500 && !RETRYABLE_4XX.has(res.status)) {
        throw new SmsRejectedError(`SMS provider refused the message (HTTP ${res.status})`);
      }
      if (!res.ok) throw new SmsDeliveryError(`SMS provider answered HTTP ${res.status}`);
      const body = (await res.json().catch(() => null)) as { id?: unknown } | null;
      if (!body || typeof body.id !== 'string') throw new SmsDeliveryError('SMS provider answered without a message id');
      return { providerId: body.id };
    },
  };
}
