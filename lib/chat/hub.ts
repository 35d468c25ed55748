// Real-time nudges between the chat's requests in one web process (R10.5): whoever stores a chat
// message or changes a conversation calls `nudge`, and the open event streams of that
// conversation (and the counsellors' queue view) read what is new from the database at once.
// A stored message rides along with its nudge, so a stream that has everything before it sends
// it without reading it back (under load the database is the bottleneck, not the streams).
// Other processes (in production several web servers and the worker) are reached through a relay
// (hubRelay.ts, PostgreSQL's LISTEN/NOTIFY). The database stays the truth: a stream also re-reads
// every quarter minute, so a change whose nudge was lost still arrives, only later.
import { EventEmitter } from 'node:events';
import type { DbTypes } from '../db';

/** A message as committed, carried by its conversation's nudge. */
export type NudgedMessage = DbTypes.ChatMessage;

/** The channel every counsellor's console listens on: the queue or someone's duty changed. */
export const QUEUE_CHANNEL = 'queue';

export interface ChatHub {
  /** Wakes the channel's listeners; `message` is a message just committed in that conversation. */
  nudge(channel: string, message?: NudgedMessage): void;
  /** Calls `listener` on every nudge of the channel until the returned function is called. */
  subscribe(channel: string, listener: (message?: NudgedMessage) => void): () => void;
  /** Passes every nudge made in this process on to `forward` too (another process's hub), until undone. */
  relayTo(forward: (channel: string, message?: NudgedMessage) => void): () => void;
  /** A nudge from another process: wakes this process's listeners and is not passed on again. */
  receive(channel: string, message?: NudgedMessage): void;
}

export function createChatHub(): ChatHub {
  const emitter = new EventEmitter();
  emitter.setMaxListeners(0); // hundreds of open streams are normal
  const relays = new Set<(channel: string, message?: NudgedMessage) => void>();
  return {
    nudge(channel, message) {
      emitter.emit(channel, message);
      for (const forward of relays) forward(channel, message);
    },
    subscribe(channel, listener) {
      emitter.on(channel, listener);
      return () => emitter.off(channel, listener);
    },
    relayTo(forward) {
      relays.add(forward);
      return () => relays.delete(forward);
    },
    receive(channel, message) {
      emitter.emit(channel, message);
    },
  };
}

/** The web process's one hub. */
export const chatHub: ChatHub = createChatHub();
