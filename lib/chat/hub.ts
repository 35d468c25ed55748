// Real-time nudges between the chat's requests in one web process (R10.5): whoever stores a chat
// message or changes a conversation calls `nudge`, and the open event streams of that
// conversation (and the counsellors' queue view) read what is new from the database at once.
// A stored message rides along with its nudge, so a stream that has everything before it sends
// it without reading it back (under load the database is the bottleneck, not the streams).
// The database stays the truth: a stream also re-reads every few seconds, so a change made by
// another process (the worker closing a silent chat) arrives too, only a little later.
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
}

export function createChatHub(): ChatHub {
  const emitter = new EventEmitter();
  emitter.setMaxListeners(0); // hundreds of open streams are normal
  return {
    nudge(channel, message) {
      emitter.emit(channel, message);
    },
    subscribe(channel, listener) {
      emitter.on(channel, listener);
      return () => emitter.off(channel, listener);
    },
  };
}

/** The web process's one hub. */
export const chatHub: ChatHub = createChatHub();
