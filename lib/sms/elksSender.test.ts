// The 46elks adapter against the local stand-in: the request's shape, and which failures retry.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../config';
import { startSmsStandIn, type SmsStandIn } from '../../test/support/smsStandIn';
import { SmsDeliveryError, SmsRejectedError } from './errors';
import { smsNumber } from './smsNumber';
import { createSmsSender } from './smsSender';

let standIn: SmsStandIn;
beforeAll(async () => {
  standIn = await startSmsStandIn();
});
afterAll(async () => standIn?.close());

const sender = () =>
  createSmsSender({ SMS_API_URL: standIn.url, SMS_API_USERNAME: standIn.username, SMS_API_PASSWORD: standIn.password, SMS_FROM: 'Stockholm' });

describe('46elks SMS adapter', () => {
  it('posts from, to and message form-encoded with Basic auth and returns the provider id', async () => {
    const result = await sender().send({ to: '+46701234567', text: 'Hej, å ä ö & = ?', idempotencyKey: 'k1' });
    expect(result.providerId).toMatch(/^s[0-9a-f]+$/);
    expect(standIn.delivered.at(-1)).toEqual({ from: 'Stockholm', to: '+46701234567', message: 'Hej, å ä ö & = ?', username: standIn.username });
  });

  it('throws SmsRejectedError for a refusal that can never succeed', async () => {
    standIn.refuseNextTo('+46701110000', 400);
    await expect(sender().send({ to: '+46701110000', text: 'x', idempotencyKey: 'k2' })).rejects.toBeInstanceOf(SmsRejectedError);
  });

  it('throws the retryable SmsDeliveryError for 5xx, 429, bad credentials and an unreachable provider', async () => {
    for (const status of [503, 429]) {
      standIn.refuseNextTo('+46701110001', status);
      await expect(sender().send({ to: '+46701110001', text: 'x', idempotencyKey: 'k3' })).rejects.toBeInstanceOf(SmsDeliveryError);
    }
    const wrongPassword = createSmsSender({ SMS_API_URL: standIn.url, SMS_API_USERNAME: standIn.username, SMS_API_PASSWORD: 'wrong' });
    await expect(wrongPassword.send({ to: '+46701110001', text: 'x', idempotencyKey: 'k4' })).rejects.toBeInstanceOf(SmsDeliveryError);
    const nowhere = createSmsSender({ SMS_API_URL: 'http://127.0.0.1:1', SMS_API_USERNAME: 'u', SMS_API_PASSWORD: 'p' });
    await expect(nowhere.send({ to: '+46701110001', text: 'x', idempotencyKey: 'k5' })).rejects.toBeInstanceOf(SmsDeliveryError);
  });

  it('keeps the number out of the error message', async () => {
    standIn.refuseNextTo('+46701110002', 400);
    const err = await sender().send({ to: '+46701110002', text: 'x', idempotencyKey: 'k6' }).catch((e: Error) => e);
    expect(String((err as Error).message)).not.toContain('0701110002');
  });

  it('only logs without SMS_API_URL', () => {
    expect(createSmsSender({}).delivers).toBe(false);
    expect(sender().delivers).toBe(true);
  });
});

describe('SMS configuration', () => {
  it('defaults the sender to "Stockholm"', () => {
    expect(loadConfig({}).SMS_FROM).toBe('Stockholm');
  });

  it('refuses a sender longer than 11 characters or with spaces, and a URL without credentials', () => {
    expect(() => loadConfig({ SMS_FROM: 'StockholmsStad' })).toThrow(/SMS_FROM/);
    expect(() => loadConfig({ SMS_FROM: 'Sthlm stad' })).toThrow(/SMS_FROM/);
    expect(() => loadConfig({ SMS_API_URL: 'https://api.46elks.com' })).toThrow(/SMS_API_USERNAME/);
    expect(loadConfig({ SMS_API_URL: 'https://api.46elks.com', SMS_API_USERNAME: 'u', SMS_API_PASSWORD: 'p', SMS_FROM: 'Komet2025' }).SMS_FROM).toBe('Komet2025');
  });
});

describe('SMS numbers', () => {
  it('normalises Swedish mobiles to E.164', () => {
    expect(smsNumber('070-123 45 67')).toBe('+46701234567');
    expect(smsNumber('0731234567')).toBe('+46731234567');
    expect(smsNumber('+46 70 123 45 67')).toBe('+46701234567');
    expect(smsNumber('0046701234567')).toBe('+46701234567');
  });

  it('gives no SMS number for a Swedish landline, nonsense or nothing; foreign numbers pass', () => {
    expect(smsNumber('08-508 000 00')).toBeNull();
    expect(smsNumber('hej')).toBeNull();
    expect(smsNumber(null)).toBeNull();
    expect(smsNumber('+358401234567')).toBe('+358401234567');
  });
});
