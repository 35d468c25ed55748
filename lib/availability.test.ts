// A database or Temporal that cannot be reached is "the service is restarting" (503), not a 500:
// the errors are real ones, from Prisma against a port nothing listens on.
import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { isDatabaseUnreachable, isPartUnavailable } from './availability';
import { createDb } from './db';
import { TemporalTimeoutError } from './temporal';

async function closedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((ok) => probe.listen(0, '127.0.0.1', ok));
  const { port } = probe.address() as { port: number };
  await new Promise((ok) => probe.close(ok));
  return port;
}

describe('isPartUnavailable', () => {
  it('knows a database that is not there, from a model query and a raw one', async () => {
    const db = createDb(`postgresql://postgres@127.0.0.1:${await closedPort()}/postgres`, 1);
    try {
      const modelError = await db.person.findFirst().catch((e: unknown) => e);
      const rawError = await db.$queryRaw`SELECT 1`.catch((e: unknown) => e);
      expect(isDatabaseUnreachable(modelError)).toBe(true);
      expect(isDatabaseUnreachable(rawError)).toBe(true);
    } finally {
      await db.$disconnect();
    }
  });

  it('knows Temporal not answering in time, and leaves ordinary errors alone', () => {
    expect(isPartUnavailable(new TemporalTimeoutError('late'))).toBe(true);
    expect(isPartUnavailable(Object.assign(new Error('x'), { code: 'P2002' }))).toBe(false);
    expect(isPartUnavailable(new TypeError('undefined is not a function'))).toBe(false);
  });
});
