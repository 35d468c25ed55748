// Short-lived values a browser carries between two requests of a login (the OpenID transaction, an
// e-ID identity waiting for its e-mail address): encrypted and authenticated with a key derived
// from SESSION_SECRET, so the browser can neither read nor change them, and stale after `ttlMs`.
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

const keyFor = (secret: string, purpose: string) => createHash('sha256').update(`komet-sealed\u0000${purpose}\u0000${secret}`).digest();

export function seal(secret: string, purpose: string, value: unknown, ttlMs: number, now = Date.now()): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', keyFor(secret, purpose), iv);
  const body = Buffer.concat([cipher.update(JSON.stringify({ v: value, exp: now + ttlMs }), 'utf8'), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url');
}

/** The value, or null when it was changed, sealed for another purpose, or has expired. */
export function unseal<T>(secret: string, purpose: string, sealed: string | undefined, now = Date.now()): T | null {
  if (!sealed) return null;
  try {
    const raw = Buffer.from(sealed, 'base64url');
    if (raw.length < 29) return null;
    const decipher = createDecipheriv('aes-256-gcm', keyFor(secret, purpose), raw.subarray(0, 12));
    decipher.setAuthTag(raw.subarray(12, 28));
    const text = Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
    const { v, exp } = JSON.parse(text) as { v: T; exp: number };
    return typeof exp === 'number' && exp > now ? v : null;
  } catch {
    return null;
  }
}
