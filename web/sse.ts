// A small Server-Sent Events writer for the chat (R10.5): an event stream that runs a loop until
// the browser goes away, with keep-alive comments so proxies keep the connection open. The loop
// gets a `send` and an abort signal; errors end the stream quietly (an error's message can carry
// what someone wrote, so nothing of it is logged or sent). EventSource reconnects by itself and
// sends the last `id:` it saw as Last-Event-ID; `lastEventId` reads it (or `?after=` on the first
// connect, when the page already shows the messages up to that number).
import type { Context } from 'hono';
import { streamSSE } from 'hono/streaming';
import type { ChatHub, NudgedMessage } from '../lib/chat/hub';
import type { AppEnv } from './context';

export interface SseEvent {
  event?: string;
  /** Only message events carry an id: Last-Event-ID then always names the last message seen. */
  id?: string;
  data: string;
}

export interface SseWriter {
  send(event: SseEvent): Promise<void>;
  /** A comment line, ignored by EventSource; keeps idle connections open. */
  ping(): Promise<void>;
  /** Time since anything was written (ms). */
  idleMs(): number;
}

/** How long the browser waits before reconnecting after the stream ends or breaks. */
export const SSE_RETRY_MS = 2000;
/** A keep-alive comment after this much silence. */
export const SSE_PING_MS = 15_000;

export function eventStream(c: Context<AppEnv>, loop: (writer: SseWriter, signal: AbortSignal) => Promise<void>): Response {
  c.header('X-Accel-Buffering', 'no'); // no proxy buffering (nginx)
  return streamSSE(c, async (stream) => {
    const aborted = new AbortController();
    stream.onAbort(() => aborted.abort());
    c.req.raw.signal?.addEventListener('abort', () => aborted.abort(), { once: true });
    let last = Date.now();
    // One write after the other, in the order they were asked for: a message may be sent from a
    // nudge while the stream's loop sends something else.
    let writing: Promise<unknown> = Promise.resolve();
    const inTurn = (write: () => Promise<unknown>): Promise<void> => {
      last = Date.now();
      const done = writing.then(write);
      writing = done.catch(() => undefined);
      return done.then(() => undefined);
    };
    const writer: SseWriter = {
      send: (e) => inTurn(() => stream.writeSSE(e)),
      ping: () => inTurn(() => stream.write(': ping\n\n')),
      idleMs: () => Date.now() - last,
    };
    try {
      await stream.write(`retry: ${SSE_RETRY_MS}\n\n`);
      await loop(writer, aborted.signal);
    } catch (err) {
      // Class only: a database error's message may quote a message body.
      if (!aborted.signal.aborted) console.error(`chat stream ended: ${err instanceof Error ? err.constructor.name : 'unknown'}`);
    } finally {
      aborted.abort();
    }
  });
}

/** The sequence number to resume after: Last-Event-ID (a reconnect) wins over `?after=`. */
export function lastEventId(c: Context<AppEnv>): number {
  for (const raw of [c.req.header('last-event-id'), c.req.query('after')]) {
    if (raw && /^\d{1,9}$/.test(raw.trim())) return Number(raw.trim());
  }
  return 0;
}

/** What a watch noted since it was last taken. */
export interface Noted {
  /** Channels nudged without a message (something changed: read it from the database). */
  changed: Set<string>;
  /** Messages that rode along with their nudges, per channel, in the order they came. */
  messages: Map<string, NudgedMessage[]>;
}

/**
 * A stream's standing watch on hub channels. Nudges are noted while the stream reads the database
 * and kept until taken, so none is missed between two waits, and the stream knows what came: a
 * message, or a change to read (lib/chat/hub.ts). `onMessage` sees each message as it comes, so
 * the stream can send it at once instead of when its loop comes round.
 */
export function watchChannels(hub: ChatHub, signal: AbortSignal, onMessage?: (channel: string, message: NudgedMessage) => void) {
  let noted: Noted = { changed: new Set(), messages: new Map() };
  const listening = new Map<string, () => void>();
  let wakeUp: (() => void) | null = null;
  const note = (channel: string, message?: NudgedMessage) => {
    if (message) {
      onMessage?.(channel, message);
      noted.messages.set(channel, [...(noted.messages.get(channel) ?? []), message]);
    } else noted.changed.add(channel);
    wakeUp?.();
  };
  const stop = () => {
    for (const unsubscribe of listening.values()) unsubscribe();
    listening.clear();
    wakeUp?.();
  };
  signal.addEventListener('abort', stop, { once: true });
  return {
    /** Listens to exactly these channels from now on (nudges already noted are kept). */
    follow(channels: string[]) {
      if (signal.aborted) return;
      for (const [channel, unsubscribe] of listening) {
        if (!channels.includes(channel)) (unsubscribe(), listening.delete(channel));
      }
      for (const channel of channels) {
        if (!listening.has(channel)) listening.set(channel, hub.subscribe(channel, (message) => note(channel, message)));
      }
    },
    /** Resolves at once when something is noted, else at the next nudge, after `timeoutMs`, or on abort. */
    wait(timeoutMs: number): Promise<void> {
      if (noted.changed.size || noted.messages.size || signal.aborted) return Promise.resolve();
      return new Promise((resolve) => {
        const timer = setTimeout(() => wakeUp?.(), timeoutMs);
        wakeUp = () => {
          clearTimeout(timer);
          wakeUp = null;
          resolve();
        };
      });
    },
    /** What was noted since the last take (nothing after a timeout), forgotten once taken. */
    take(): Noted {
      const taken = noted;
      noted = { changed: new Set(), messages: new Map() };
      return taken;
    },
  };
}

/**
 * A conversation's messages on one stream: each sent once, in sequence order, whether it came from
 * a nudge or from a database read. A nudged message that does not follow on (a gap) is not sent:
 * `offer` says so, and the stream reads from the database, which never skips or repeats one.
 */
export function messageSequence(out: SseWriter, after: number, event: (m: NudgedMessage) => SseEvent) {
  let last = after;
  /** Sends the message if it is the next one; false on a gap. One already sent is passed over. */
  const offer = (m: NudgedMessage): boolean => {
    if (m.seq <= last) return true;
    if (m.seq !== last + 1) return false;
    last = m.seq; // before the write, so the same message offered again meanwhile is passed over
    void out.send(event(m)).catch(() => undefined); // a closed stream: the loop ends it
    return true;
  };
  return {
    /** The last sequence number sent (a reconnect's Last-Event-ID resumes after it). */
    last: () => last,
    offer,
    /** Offers messages in sequence order; false when one of them left a gap. */
    offerAll: (messages: NudgedMessage[] | undefined): boolean => [...(messages ?? [])].sort((a, b) => a.seq - b.seq).every(offer),
  };
}
