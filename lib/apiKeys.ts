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

/**
 * How long a verified key is trusted without asking the database again. A key revoked by this
 * process (revokeApiKey) stops at once; one revoked elsewhere (another process, SQL) within this.
 */
export const KEY_CACHE_TTL_MS = 30_000;

/** Verified keys by hash, per database client. Unknown keys are never cached: a new key works at once. */
const verified = new WeakMap<Db, Map<string, { info: ApiKeyInfo; until: number }>>();

/** The key's record if the key exists and is not revoked; lookup by hash (unique index). */
export async function findApiKey(db: Db, key: string): Promise<ApiKeyInfo | null> {
  if (!key.startsWith(KEY_PREFIX) || key.length > MAX_KEY_LENGTH) return null;
  const hash = sha256(key);
  let cache = verified.get(db);
  if (!cache) verified.set(db, (cache = new Map()));
  const hit = cache.get(hash);
  if (hit && hit.until > Date.now()) return hit.info;
  cache.delete(hash);

  const row = await db.apiKey.findUnique({ where: { keyHash: hash } });
  if (!row || row.revokedAt) return null;
  const info = { id: row.id, name: row.name, scopes: row.scopes };
  cache.set(hash, { info, until: Date.now() + KEY_CACHE_TTL_MS });
  return info;
}

export async function revokeApiKey(db: Db, id: string): Promise<void> {
  await db.apiKey.update({ where: { id }, data: { revokedAt: new Date() } });
  const cache = verified.get(db);
  for (const [hash, entry] of cache ?? []) if (entry.info.id === id) cache!.delete(hash);
}
