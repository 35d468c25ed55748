// Real-time nudges between the chat's requests in one web process (R10.5): whoever stores a chat
// message or changes a conversation calls `nudge`, and the open event streams of that
// conversation (and the counsellors' queue view) read what is new from the database at once.
// The database stays the truth: a stream also re-reads every few seconds, so a change made by
// another process (the worker closing a silent chat) arrives too, only a little later.
import { EventEmitter } from 'node:events';

/** The channel every counsellor's console listens on: the queue or someone's duty changed. */
export const QUEUE_CHANNEL = 'queue';

export interface ChatHub {
  nudge(channel: string): void;
  /** Resolves when the channel is nudged or after `timeoutMs`; `signal` aborts the wait. */
  wait(channel: string, timeoutMs: number, signal?: AbortSignal): Promise<void>;
  /** Calls `listener` on every nudge of the channel until the returned function is called. */
  subscribe(channel: string, listener: () => void): () => void;
}

export function createChatHub(): ChatHub {
  const emitter = new EventEmitter();
  emitter.setMaxListeners(0); // hundreds of open streams are normal
  return {
    nudge(channel) {
      emitter.emit(channel);
    },
    wait(channel, timeoutMs, signal) {
      return new Promise((resolve) => {
        const done = () => {
          clearTimeout(timer);
          emitter.off(channel, done);
          signal?.removeEventListener('abort', done);
          resolve();
        };
        const timer = setTimeout(done, timeoutMs);
        emitter.once(channel, done);
        signal?.addEventListener('abort', done, { once: true });
      });
    },
    subscribe(channel, listener) {
      emitter.on(channel, listener);
      return () => emitter.off(channel, listener);
    },
  };
}

/** The web process's one hub. */
export const chatHub: ChatHub = createChatHub();
