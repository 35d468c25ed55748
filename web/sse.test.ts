// The streams' delivery rules: nudges noted between waits are never lost, and a message that
// rides along with its nudge is sent only when it follows on exactly; otherwise the stream reads.
import { describe, expect, it } from 'vitest';
import { createChatHub, type NudgedMessage } from '../lib/chat/hub';
import { messageSequence, watchChannels, type SseEvent, type SseWriter } from './sse';

const message = (seq: number) => ({ seq, body: `m${seq}` }) as NudgedMessage;

function writer(): SseWriter & { sent: SseEvent[] } {
  const sent: SseEvent[] = [];
  return { sent, send: async (e) => void sent.push(e), ping: async () => {}, idleMs: () => 0 };
}
const event = (m: NudgedMessage): SseEvent => ({ event: 'message', id: String(m.seq), data: m.body });

describe('a stream watch', () => {
  it('keeps what came while the stream was busy, and tells messages from changes', async () => {
    const hub = createChatHub();
    const abort = new AbortController();
    const watch = watchChannels(hub, abort.signal);
    watch.follow(['a', 'b']);
    hub.nudge('a', message(1)); // while the stream reads: noted, not lost
    hub.nudge('b');
    hub.nudge('c'); // not followed
    await watch.wait(10_000); // resolves at once
    const noted = watch.take();
    expect(noted.messages.get('a')?.map((m) => m.seq)).toEqual([1]);
    expect([...noted.changed]).toEqual(['b']);
    expect(watch.take()).toEqual({ changed: new Set(), messages: new Map() });

    watch.follow(['b']); // stops listening to a
    hub.nudge('a', message(2));
    const started = Date.now();
    await watch.wait(50);
    expect(Date.now() - started).toBeGreaterThanOrEqual(40);
    expect(watch.take().messages.size).toBe(0);
    abort.abort();
    await watch.wait(10_000); // an aborted watch never holds the stream
  });
});

describe('a conversation on one stream', () => {
  it('sends each message once, in order, from nudges and reads alike', async () => {
    const out = writer();
    const messages = messageSequence(out, 3, event);
    expect(messages.offerAll([message(5), message(3), message(4)])).toBe(true);
    expect(messages.offer(message(4))).toBe(true); // read back from the database meanwhile: passed over
    expect(messages.offer(message(6))).toBe(true);
    await new Promise((r) => setTimeout(r, 0));
    expect(out.sent.map((e) => e.id)).toEqual(['4', '5', '6']);
    expect(messages.last()).toBe(6);
  });

  it('stops at a gap, so the stream reads the rest from the database', async () => {
    const out = writer();
    const messages = messageSequence(out, 3, event);
    expect(messages.offerAll([message(4), message(6)])).toBe(false);
    expect(messages.last()).toBe(4);
    expect(messages.offerAll(undefined)).toBe(true);
    await new Promise((r) => setTimeout(r, 0));
    expect(out.sent.map((e) => e.id)).toEqual(['4']);
  });

  it('hands each message to the stream the moment it is nudged', () => {
    const hub = createChatHub();
    const seen: number[] = [];
    const watch = watchChannels(hub, new AbortController().signal, (channel, m) => channel === 'a' && seen.push(m.seq));
    watch.follow(['a']);
    hub.nudge('a', message(7));
    expect(seen).toEqual([7]);
  });
});
