// Chat nudges between processes (R10.5). The web servers and the worker are separate processes
// (in the embedded mode too): a visitor's stream on one web server must hear at once of the counsellor's message
// stored through another, and of the worker closing a silent chat. Each process's hub passes its
// nudges to PostgreSQL (NOTIFY on one channel) and wakes its own streams with the others' (LISTEN).
// A message small enough rides along, so the receiving streams need not read it back.
// Nothing here is the truth: a nudge lost while the connection is down only waits for the streams'
// periodic re-read, and the connection is made again.
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import type { ChatHub, NudgedMessage } from './hub';

/** The PostgreSQL notification channel every Komet process listens on. */
export const RELAY_CHANNEL = 'komet_chat';
/** PostgreSQL refuses a payload of 8,000 bytes or more; a larger message goes without its text. */
const MAX_PAYLOAD_BYTES = 7_900;
const RECONNECT_MIN_MS = 500;
const RECONNECT_MAX_MS = 15_000;

interface Payload {
  /** The sending process: it has woken its own streams already. */
  from: string;
  channel: string;
  message?: Omit<NudgedMessage, 'createdAt'> & { createdAt: string };
}

export interface ChatHubRelay {
  /** Whether the relay is listening now. */
  connected(): boolean;
  stop(): Promise<void>;
}

/** The payload of a nudge: with its message when it fits, else the bare nudge (the stream reads the message). */
export function relayPayload(from: string, channel: string, message?: NudgedMessage): string {
  if (message) {
    const full = JSON.stringify({ from, channel, message: { ...message, createdAt: message.createdAt.toISOString() } } satisfies Payload);
    if (Buffer.byteLength(full) < MAX_PAYLOAD_BYTES) return full;
  }
  return JSON.stringify({ from, channel } satisfies Payload);
}

/** A payload read back; null for anything that is not one (another program on the channel). */
export function parseRelayPayload(text: string): { from: string; channel: string; message?: NudgedMessage } | null {
  try {
    const p = JSON.parse(text) as Partial<Payload>;
    if (typeof p.from !== 'string' || typeof p.channel !== 'string') return null;
    if (!p.message) return { from: p.from, channel: p.channel };
    return { from: p.from, channel: p.channel, message: { ...p.message, createdAt: new Date(p.message.createdAt) } };
  } catch {
    return null;
  }
}

/**
 * Connects `hub` to the other processes through the database at `databaseUrl`: its nudges go out,
 * theirs come in. Returns at once; the connection is made (and made again) in the background.
 */
export function relayChatHub(hub: ChatHub, databaseUrl: string, log: (line: string) => void = console.error): ChatHubRelay {
  const self = randomUUID();
  let client: pg.Client | null = null;
  let listening = false;
  let stopped = false;
  let delay = RECONNECT_MIN_MS;
  let retry: NodeJS.Timeout | null = null;

  const connect = async () => {
    retry = null;
    const next = new pg.Client({ connectionString: databaseUrl, application_name: 'komet-chat-relay' });
    client = next;
    next.on('error', (err) => lost(next, err));
    next.on('end', () => lost(next));
    next.on('notification', (n) => {
      const nudge = n.channel === RELAY_CHANNEL && n.payload ? parseRelayPayload(n.payload) : null;
      if (nudge && nudge.from !== self) hub.receive(nudge.channel, nudge.message);
    });
    try {
      await next.connect();
      await next.query(`LISTEN ${RELAY_CHANNEL}`);
      if (stopped || client !== next) return void next.end().catch(() => {});
      listening = true;
      delay = RECONNECT_MIN_MS;
    } catch (err) {
      lost(next, err as Error);
    }
  };

  const lost = (which: pg.Client, err?: Error) => {
    if (client !== which) return;
    client = null;
    listening = false;
    which.end().catch(() => {});
    if (stopped) return;
    // The error's class only: a connection string may hold a password.
    log(`[chat] relay connection lost (${err?.name ?? 'closed'}); retrying in ${delay} ms`);
    retry = setTimeout(connect, delay);
    retry.unref();
    delay = Math.min(delay * 2, RECONNECT_MAX_MS);
  };

  const undo = hub.relayTo((channel, message) => {
    const sending = client;
    if (!sending || !listening) return; // the streams' periodic re-read covers it
    sending.query('SELECT pg_notify($1, $2)', [RELAY_CHANNEL, relayPayload(self, channel, message)]).catch((err: Error) => lost(sending, err));
  });
  void connect();

  return {
    connected: () => listening,
    async stop() {
      stopped = true;
      undo();
      if (retry) clearTimeout(retry);
      const open = client;
      client = null;
      listening = false;
      await open?.end().catch(() => {});
    },
  };
}
