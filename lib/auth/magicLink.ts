// Passwordless login by e-mail link (DESIGN.md): the token travels once, only its hash is stored;
// single use, 15 minutes. In embedded mode the link is read in the dev inbox.
import type { Db } from '../db';
import type { Mailer } from '../mail/mailer';
import { randomToken, sha256 } from '../crypto';
import { deliverEmail } from '../notify';
import { renderTemplate, templateLangOf } from '../templates/messageTemplates';

export const LOGIN_TOKEN_TTL_MS = 15 * 60 * 1000;

/**
 * Sends the login link. The text is the admin's editable "loginLink" message (issue 16), in the
 * person's language, else the language of the page they asked from, else Swedish.
 */
export async function sendLoginLink(
  deps: { db: Db; mailer: Mailer; publicUrl: string },
  email: string,
  next: string,
  pageLang?: string,
): Promise<void> {
  const person = await deps.db.person.upsert({ where: { email }, create: { email }, update: {} });
  const token = randomToken(32);
  const row = await deps.db.loginToken.create({
    data: { personId: person.id, tokenHash: sha256(token), expiresAt: new Date(Date.now() + LOGIN_TOKEN_TTL_MS) },
  });
  const link = `${deps.publicUrl}/logga-in/verifiera?token=${encodeURIComponent(token)}${next ? `&next=${encodeURIComponent(next)}` : ''}`;
  const text = await renderTemplate(deps.db, 'loginLink', templateLangOf(person.language ?? pageLang), {
    link,
    minutes: String(LOGIN_TOKEN_TTL_MS / 60_000),
  });
  await deliverEmail(deps.db, deps.mailer, { to: email, subject: text.subject, body: text.body, idempotencyKey: `login:${row.id}` });
}

export type TokenState = 'valid' | 'invalid' | 'expired' | 'used';

export async function loginTokenState(db: Db, token: string): Promise<TokenState> {
  const row = await db.loginToken.findUnique({ where: { tokenHash: sha256(token) } });
  if (!row) return 'invalid';
  if (row.usedAt) return 'used';
  if (row.expiresAt.getTime() <= Date.now()) return 'expired';
  return 'valid';
}

/** Marks the token used in one statement, so two clicks cannot both log in. */
export async function consumeLoginToken(db: Db, token: string): Promise<string | null> {
  const tokenHash = sha256(token);
  const { count } = await db.loginToken.updateMany({
    where: { tokenHash, usedAt: null, expiresAt: { gt: new Date() } },
    data: { usedAt: new Date() },
  });
  if (count !== 1) return null;
  const row = await db.loginToken.findUniqueOrThrow({ where: { tokenHash } });
  return row.personId;
}
