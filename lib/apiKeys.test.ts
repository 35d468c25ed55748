// API keys are verified from a short in-memory cache (one query less per API call); revocation
// must still hold: at once through revokeApiKey, within the TTL when done behind its back.
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../test/support/database';
import { createApiKey, findApiKey, KEY_CACHE_TTL_MS, KEY_PREFIX, revokeApiKey } from './apiKeys';
import { randomToken, sha256 } from './crypto';

let database: TestDatabase;

beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database?.drop();
});
afterEach(() => {
  vi.restoreAllMocks();
});

describe('findApiKey', () => {
  it('answers a verified key again without asking the database', async () => {
    const { db } = database;
    const created = await createApiKey(db, { name: 'cached', scopes: ['cases:read'] });
    expect(await findApiKey(db, created.key)).toEqual({ id: created.id, name: 'cached', scopes: ['cases:read'] });
    const lookups = vi.spyOn(db.apiKey, 'findUnique');
    expect(await findApiKey(db, created.key)).toMatchObject({ id: created.id });
    expect(lookups).not.toHaveBeenCalled();
  });

  it('refuses a cached key at once after revokeApiKey', async () => {
    const { db } = database;
    const created = await createApiKey(db, { name: 'revoked-here', scopes: ['applications:write'] });
    expect(await findApiKey(db, created.key)).not.toBeNull();
    await revokeApiKey(db, created.id);
    expect(await findApiKey(db, created.key)).toBeNull();
  });

  it('refuses a key revoked behind its back once the cache time has passed', async () => {
    const { db } = database;
    const created = await createApiKey(db, { name: 'revoked-elsewhere', scopes: ['applications:write'] });
    expect(await findApiKey(db, created.key)).not.toBeNull();
    await db.apiKey.update({ where: { id: created.id }, data: { revokedAt: new Date() } }); // another process or SQL
    const now = Date.now();
    vi.spyOn(Date, 'now').mockReturnValue(now + KEY_CACHE_TTL_MS + 1);
    expect(await findApiKey(db, created.key)).toBeNull();
  });

  it('never caches an unknown key: one created afterwards works at once', async () => {
    const { db } = database;
    const key = `${KEY_PREFIX}${randomToken()}`;
    expect(await findApiKey(db, key)).toBeNull();
    await db.apiKey.create({ data: { name: 'late', scopes: ['cases:read'], keyHash: sha256(key) } });
    expect(await findApiKey(db, key)).toMatchObject({ name: 'late' });
  });
});
