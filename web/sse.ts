// A small Server-Sent Events writer for the chat (R10.5): an event stream that runs a loop until
// the browser goes away, with keep-alive comments so proxies keep the connection open. The loop
// gets a `send` and an abort signal; errors end the stream quietly (an error's message can carry
// what someone wrote, so nothing of it is logged or sent). EventSource reconnects by itself and
// sends the last `id:` it saw as Last-Event-ID; `lastEventId` reads it (or `?after=` on the first
// connect, when the page already shows the messages up to that number).
import type { Context } from 'hono';
import { streamSSE } from 'hono/streaming';
import type { ChatHub } from '../lib/chat/hub';
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
    const writer: SseWriter = {
      async send(e) {
        last = Date.now();
        await stream.writeSSE(e);
      },
      async ping() {
        last = Date.now();
        await stream.write(': ping\n\n');
      },
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

/**
 * Resolves when any of the channels is nudged, after `timeoutMs`, or when `signal` aborts.
 * Call it BEFORE reading the database and await it after, so a nudge in between is not missed.
 */
export function waitAny(hub: ChatHub, channels: string[], timeoutMs: number, signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  const inner = new AbortController();
  const stop = () => inner.abort();
  signal.addEventListener('abort', stop, { once: true });
  return Promise.race(channels.map((ch) => hub.wait(ch, timeoutMs, inner.signal))).finally(() => {
    signal.removeEventListener('abort', stop);
    inner.abort(); // releases the other channels' listeners and timers
  });
}

/**
 * A stream's standing watch on hub channels. Nudges are noted while the stream reads the database
 * and kept until taken, so none is missed between two waits, and the stream knows which channels
 * were nudged (a console stream reads its own conversation only when that one changed).
 */
export function watchChannels(hub: ChatHub, signal: AbortSignal) {
  const nudged = new Set<string>();
  const listening = new Map<string, () => void>();
  let wakeUp: (() => void) | null = null;
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
        if (listening.has(channel)) continue;
        listening.set(channel, hub.subscribe(channel, () => (nudged.add(channel), wakeUp?.())));
      }
    },
    /** Resolves at once when a nudge is noted, else at the next one, after `timeoutMs`, or on abort. */
    wait(timeoutMs: number): Promise<void> {
      if (nudged.size || signal.aborted) return Promise.resolve();
      return new Promise((resolve) => {
        const timer = setTimeout(() => wakeUp?.(), timeoutMs);
        wakeUp = () => {
          clearTimeout(timer);
          wakeUp = null;
          resolve();
        };
      });
    },
    /** The channels nudged since the last take (empty after a timeout), forgotten once taken. */
    take(): Set<string> {
      const taken = new Set(nudged);
      nudged.clear();
      return taken;
    },
  };
}
