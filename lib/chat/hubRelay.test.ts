// Chat nudges reach the other processes (web servers, the worker) through PostgreSQL: two hubs
// stand for two processes on one real database. A message rides along when it fits, a process
// does not hear its own nudge twice, and a cut connection is made again.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../test/support/database';
import { createChatHub, type ChatHub, type NudgedMessage } from './hub';
import { parseRelayPayload, relayChatHub, relayPayload, type ChatHubRelay } from './hubRelay';

let database: TestDatabase;
const relays: ChatHubRelay[] = [];

beforeAll(async () => {
  database = await createTestDatabase();
});

afterAll(async () => {
  await Promise.all(relays.map((r) => r.stop()));
  await database?.drop();
});

const message = (body: string): NudgedMessage => ({
  id: '6f1f3c1e-1111-4c7a-9d3e-000000000001',
  conversationId: '6f1f3c1e-2222-4c7a-9d3e-000000000002',
  seq: 7,
  sender: 'counsellor',
  authorId: '6f1f3c1e-3333-4c7a-9d3e-000000000003',
  body,
  clientKey: 'k-1',
  createdAt: new Date('2026-12-02T10:00:00.123Z'),
});

async function startProcess(): Promise<{ hub: ChatHub; relay: ChatHubRelay }> {
  const hub = createChatHub();
  const relay = relayChatHub(hub, database.url, () => {});
  relays.push(relay);
  await expect.poll(() => relay.connected(), { timeout: 10_000 }).toBe(true);
  return { hub, relay };
}

/** Everything a hub's listeners hear on a channel. */
function listen(hub: ChatHub, channel: string): (NudgedMessage | undefined)[] {
  const heard: (NudgedMessage | undefined)[] = [];
  hub.subscribe(channel, (m) => heard.push(m));
  return heard;
}

describe('the chat hub relay', () => {
  it('wakes the other process with the message, and its own listeners once', async () => {
    const [a, b] = [await startProcess(), await startProcess()];
    const [atA, atB] = [listen(a.hub, 'conversation:x'), listen(b.hub, 'conversation:x')];
    const sent = message('Hej, jag heter Åsa – hur mår ni?');
    a.hub.nudge('conversation:x', sent);
    b.hub.nudge('conversation:x');
    await expect.poll(() => atB.length).toBe(2);
    await expect.poll(() => atA.length).toBe(2);
    const received = atB.find((m) => m !== undefined);
    expect(received).toEqual(sent);
    expect(received!.createdAt).toBeInstanceOf(Date);
    expect(atA).toEqual([sent, undefined]);
    // No echo of a process's own nudge: notifications arrive in commit order, so an echo of A's
    // message would have come before this marker, which B sends after hearing it.
    const marker = listen(a.hub, 'marker');
    b.hub.nudge('marker');
    await expect.poll(() => marker.length).toBe(1);
    expect(atA.length).toBe(2);
    expect(atB.length).toBe(2);
  });

  it('sends a message too large for a notification as a bare nudge', () => {
    const large = message('å'.repeat(4_500));
    expect(parseRelayPayload(relayPayload('p', 'c', large))).toEqual({ from: 'p', channel: 'c' });
    expect(parseRelayPayload(relayPayload('p', 'c', message('kort')))?.message?.body).toBe('kort');
    expect(parseRelayPayload('{"not":"ours"}')).toBeNull();
    expect(parseRelayPayload('not json')).toBeNull();
  });

  it('listens again after its connection is cut', async () => {
    const [a, b] = [await startProcess(), await startProcess()];
    await database.db.$executeRaw`
      SELECT pg_terminate_backend(pid) FROM pg_stat_activity
      WHERE application_name = 'komet-chat-relay' AND datname = current_database()`;
    await expect.poll(() => a.relay.connected() && b.relay.connected(), { timeout: 15_000 }).toBe(true);
    const atB = listen(b.hub, 'queue');
    // Both may have been cut and come back at different moments: nudge until one arrives.
    await expect
      .poll(
        () => {
          a.hub.nudge('queue');
          return atB.length > 0;
        },
        { timeout: 15_000 },
      )
      .toBe(true);
  });
});
