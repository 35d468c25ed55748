// Bearer keys for the integration API (R11.4). The plaintext key is shown once at creation; the
// database keeps only its SHA-256, so a leaked backup does not leak working keys.
import { randomToken, sha256 } from './crypto';
import type { Db } from './db';

export const SCOPES = ['applications:write', 'cases:read'] as const;
export type Scope = (typeof SCOPES)[number];

export const KEY_PREFIX = 'komet_';
/** A real key is `komet_` + 43 base64url characters; anything much longer is not worth hashing. */
const MAX_KEY_LENGTH = 200;

export interface ApiKeyInfo {
  id: string;
  name: string;
  scopes: string[];
}

export function isScope(value: string): value is Scope {
  return (SCOPES as readonly string[]).includes(value);
}

/** "a,b" → validated scopes; throws with the unknown names so the caller can say what is wrong. */
export function parseScopes(list: string | string[]): Scope[] {
  const items = (Array.isArray(list) ? list : list.split(',')).map((s) => s.trim()).filter(Boolean);
  if (items.length === 0) throw new Error(`No scopes given; choose from: ${SCOPES.join(', ')}`);
  const unknown = items.filter((s) => !isScope(s));
  if (unknown.length) throw new Error(`Unknown scope(s): ${unknown.join(', ')}; choose from: ${SCOPES.join(', ')}`);
  return [...new Set(items as Scope[])];
}

export async function createApiKey(db: Db, input: { name: string; scopes: string[] }): Promise<ApiKeyInfo & { key: string }> {
  const name = input.name.trim();
  if (!name || name.length > 100) throw new Error('API key name must be 1–100 characters');
  const scopes = parseScopes(input.scopes);
  const key = `${KEY_PREFIX}${randomToken()}`;
  const row = await db.apiKey.create({ data: { name, scopes, keyHash: sha256(key) } });
  return { id: row.id, name: row.name, scopes: row.scopes, key };
}

/** The key's record if the key exists and is not revoked; lookup by hash (unique index). */
export async function findApiKey(db: Db, key: string): Promise<ApiKeyInfo | null> {
  if (!key.startsWith(KEY_PREFIX) || key.length > MAX_KEY_LENGTH) return null;
  const row = await db.apiKey.findUnique({ where: { keyHash: sha256(key) } });
  if (!row || row.revokedAt) return null;
  return { id: row.id, name: row.name, scopes: row.scopes };
}

export async function revokeApiKey(db: Db, id: string): Promise<void> {
  await db.apiKey.update({ where: { id }, data: { revokedAt: new Date() } });
}
