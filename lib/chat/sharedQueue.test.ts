// The waiting visitors' streams share their reads of the queue (sharedQueue in conversations.ts):
// streams woken by one nudge read it once between them, and the read after a nudge shows the
// change that caused it. On a real database, counting the queries the queue view makes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../test/support/database';
import type { Db } from '../db';
import { placeInQueue, sharedQueue } from './conversations';
import { createChatHub, QUEUE_CHANNEL } from './hub';

let database: TestDatabase;
let reads = 0;
let counted: Db;

beforeAll(async () => {
  database = await createTestDatabase();
  const db = database.db;
  counted = new Proxy(db, {
    get(target, prop, receiver) {
      if (prop !== '$queryRaw') return Reflect.get(target, prop, receiver);
      return (...args: Parameters<Db['$queryRaw']>) => {
        reads++;
        return target.$queryRaw(...args);
      };
    },
  });
});

afterAll(async () => {
  await database?.drop();
});

async function waitingVisitor(minutesAgo: number): Promise<string> {
  const row = await database.db.chatConversation.create({ data: { visitorKeyHash: `h-${Math.random()}`, createdAt: new Date(Date.now() - minutesAgo * 60_000) } });
  return row.id;
}

describe('the shared queue view', () => {
  it('is read once for all the streams one nudge wakes, and again after the next nudge', async () => {
    const ids = [await waitingVisitor(3), await waitingVisitor(2), await waitingVisitor(1)];
    const hub = createChatHub();
    const queue = sharedQueue(hub, counted);

    const together = await Promise.all(Array.from({ length: 50 }, () => queue.snapshot()));
    expect(reads).toBe(1);
    expect(together.every((s) => s === together[0])).toBe(true);
    expect(together[0].waiting).toEqual(ids);
    expect(ids.map((id) => placeInQueue(together[0], id)?.position)).toEqual([1, 2, 3]);
    expect(placeInQueue(together[0], ids[2])).toEqual({ position: 3, estimateMinutes: null, onDuty: 0 }); // nobody on duty: no made-up estimate

    // Taken: the nudge comes after the change is stored; the next look sees it, once for all.
    await database.db.chatConversation.update({ where: { id: ids[0] }, data: { status: 'active', assignedAt: new Date() } });
    hub.nudge(QUEUE_CHANNEL);
    const after = await Promise.all(Array.from({ length: 50 }, () => queue.snapshot()));
    expect(reads).toBe(2);
    expect(after[0].waiting).toEqual(ids.slice(1));
    expect(placeInQueue(after[0], ids[0])).toBeNull();
    expect(placeInQueue(after[0], ids[1])?.position).toBe(1);
  });
});
