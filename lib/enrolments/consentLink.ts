// The manager's consent link (R6.2): signed (HMAC over request, token and expiry), single-use
// (the request's usedAt), expiring, and only the token's hash is stored. No login: the link is
// the credential, so every part of it is checked and a bad link changes nothing.
import { createHmac } from 'node:crypto';
import { randomToken, safeEqual, sha256 } from '../crypto';

export interface ConsentLinkParts {
  requestId: string;
  token: string;
  expiresAt: Date;
}

function signature(secret: string, { requestId, token, expiresAt }: ConsentLinkParts): string {
  return createHmac('sha256', secret).update(`consent:${requestId}:${token}:${expiresAt.getTime()}`).digest('base64url');
}

/** A new token for a request: the token goes into the link, its hash into the database. */
export function newConsentToken(): { token: string; tokenHash: string } {
  const token = randomToken(24);
  return { token, tokenHash: sha256(token) };
}

export function consentLinkPath(secret: string, parts: ConsentLinkParts): string {
  const query = new URLSearchParams({ t: parts.token, e: String(parts.expiresAt.getTime()), s: signature(secret, parts) });
  return `/samtycke/${parts.requestId}?${query}`;
}

export type ConsentLinkCheck = { ok: true; tokenHash: string; expiresAt: Date } | { ok: false; reason: 'invalid' | 'expired' };

/** Checks the signature and expiry of a link's parts; the caller then matches the hash and usedAt. */
export function checkConsentLink(
  secret: string,
  requestId: string,
  query: { t?: string; e?: string; s?: string },
  now = new Date(),
): ConsentLinkCheck {
  const { t, e, s } = query;
  if (!t || !e || !s || !/^\d{1,15}$/.test(e)) return { ok: false, reason: 'invalid' };
  const expiresAt = new Date(Number(e));
  if (!safeEqual(signature(secret, { requestId, token: t, expiresAt }), s)) return { ok: false, reason: 'invalid' };
  if (expiresAt.getTime() <= now.getTime()) return { ok: false, reason: 'expired' };
  return { ok: true, tokenHash: sha256(t), expiresAt };
}

/**
 * The token of a request, derived from the secret: the reminder can send the same link again
 * while the database still holds only its hash. Without the secret it cannot be guessed.
 */
export function consentTokenFor(secret: string, requestId: string): { token: string; tokenHash: string } {
  const token = createHmac('sha256', secret).update(`consent-token:${requestId}`).digest('base64url');
  return { token, tokenHash: sha256(token) };
}
