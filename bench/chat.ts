// The chat under load (R10.5): 200 conversations at once, every message timed from the start of its
// POST to its arrival on the other side's event stream. Everything goes through HTTP as in real use:
// visitors start from /chatt with their own cookies and follow /chatt/handelser; counsellors (made
// for the run, ten conversations each) log in, go on duty, take visitors with "Ta nästa" in the
// console, and follow each conversation's stream there. Opening hours are forced open for the run
// and put back afterwards. Loops are bounded in count and time; streams are closed at the end.
import { randomUUID } from 'node:crypto';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { loadChatSettings, saveChatSettings, WEEKDAYS, type ChatSettings } from '../lib/chat/chatSettings';
import type { Db } from '../lib/db';
import { CookieJar, loginParent, postForm } from './komet';
import { percentile, type Result } from './measure';
import { sseFrames, type SseEvent } from '../test/support/sseFrames';

export interface ChatBenchOptions {
  /** Conversations at once (the target: 200). */
  chats?: number;
  /** Round trips per conversation that are measured (each: visitor → counsellor, counsellor → visitor). */
  rounds?: number;
  /** Round trips per conversation before measuring (connections, JIT). */
  warmupRounds?: number;
  /**
   * Pause after each delivered message before the pair's next one (±50 %, random), as people read
   * and type. 0 = back to back, which measures the server at saturation instead of delivery.
   */
  thinkMs?: number;
  /** Conversations per counsellor (the setting maxPerCounsellor, 1–10). */
  perCounsellor?: number;
  /** A message not delivered within this long counts as failed. */
  deliveryTimeoutMs?: number;
  /** Stop starting new rounds after this long. */
  maxMs?: number;
  /** Checked between rounds: a reason stops the run (e.g. the instance died). */
  stopIf?: () => string | null;
  log?: (line: string) => void;
}

const CALL_TIMEOUT_MS = 30_000;
/**
 * The default pause between messages: a brisk chat where each side answers within about five
 * seconds (people typing take longer), so 200 chats offer roughly 40 messages a second.
 */
export const CHAT_THINK_MS = 5_000;
/** Counsellors log in one after another at most this many at a time (the login's own rate limits). */
const LOGIN_CONCURRENCY = 4;

/** 200 concurrent chats; p50/p99 of message delivery (POST start → arrival on the other stream). */
export async function measureChatDelivery(baseUrl: string, db: Db, opts: ChatBenchOptions = {}): Promise<Result> {
  const chats = opts.chats ?? 200;
  const rounds = opts.rounds ?? 5;
  const warmupRounds = opts.warmupRounds ?? 1;
  const perCounsellor = Math.min(10, Math.max(1, opts.perCounsellor ?? 10));
  const thinkMs = Math.max(0, opts.thinkMs ?? CHAT_THINK_MS);
  const deliveryTimeoutMs = opts.deliveryTimeoutMs ?? 10_000;
  const maxMs = opts.maxMs ?? 180_000;
  const stopIf = opts.stopIf ?? (() => null);
  const log = opts.log ?? (() => {});
  const run = randomUUID().slice(0, 8);
  const origin = new URL(baseUrl).origin;

  const previous = await loadChatSettings(db);
  const streams: Stream[] = [];
  try {
    // Every bench visitor comes from 127.0.0.1: the queue cap and the per-address starts make room for them all.
    await saveChatSettings(db, { weekly: Object.fromEntries(WEEKDAYS.map((d) => [d, [{ from: '00:00', to: '23:59' }]])) as ChatSettings['weekly'], exceptions: [], maxPerCounsellor: perCounsellor, maxQueue: Math.max(chats, 30), startsPerAddress: Math.max(chats, 10) }, null);

    // Counsellors for this run: made in the database, logged in over HTTP, on duty.
    const counsellorCount = Math.ceil(chats / perCounsellor);
    const counsellors: Counsellor[] = [];
    for (let i = 0; i < counsellorCount; i++) {
      const email = `bench-radgivare-${run}-${i}@komet.example`;
      const person = await db.person.create({ data: { email, name: `Rådgivare ${i + 1}` } });
      await db.roleGrant.create({ data: { personId: person.id, role: 'counsellor' } });
      counsellors.push({ id: person.id, email, cookie: '', csrf: '', conversations: [] });
    }
    await pool(counsellors, LOGIN_CONCURRENCY, async (c) => {
      c.cookie = await loginParent(baseUrl, db, c.email);
      c.csrf = cookieValue(c.cookie, 'komet_csrf');
      await postForm(`${baseUrl}/radgivare/tjanst`, c.cookie, origin, { _csrf: c.csrf, onDuty: '1' }, 303);
    });
    log(`  ${counsellorCount} counsellors on duty`);

    // Visitors: the chat page (key and CSRF cookies), then the start button, then the event stream.
    const visitors: Visitor[] = await pool(Array.from({ length: chats }, (_, i) => i), 20, async () => {
      const jar = new CookieJar();
      const page = await timedFetch(`${baseUrl}/chatt`, { headers: { Cookie: jar.header() } });
      jar.take(page);
      await page.text();
      await postForm(`${baseUrl}/chatt/starta`, jar, origin, { _csrf: jar.get('komet_csrf') }, 303);
      const conversationId = jar.get('komet_chat');
      if (!conversationId) throw new Error('POST /chatt/starta set no conversation cookie');
      return { jar, conversationId, status: 'waiting', stream: null as unknown as Stream };
    });
    const byConversation = new Map(visitors.map((v) => [v.conversationId, v]));
    for (const v of visitors) {
      v.stream = openStream(`${baseUrl}/chatt/handelser`, v.jar.header(), (event) => {
        if (event.event === 'status') v.status = (JSON.parse(event.data) as { status: string }).status;
      });
      streams.push(v.stream);
    }
    log(`  ${chats} visitors waiting`);

    // The counsellors take visitors with "Ta nästa" in turn until each is full (taking is not what
    // is measured; in turn, because twenty clicks at the same instant all race for the oldest visitor).
    for (let k = 0; k < perCounsellor; k++) {
      for (const c of counsellors) {
        for (let attempt = 0; attempt < 3; attempt++) {
          const res = await timedFetch(`${baseUrl}/radgivare/ta-nasta`, {
            method: 'POST',
            headers: { Cookie: c.cookie, Origin: origin, 'Content-Type': 'application/x-www-form-urlencoded' },
            body: new URLSearchParams({ _csrf: c.csrf }),
            redirect: 'manual',
          });
          await res.text();
          const id = /\/radgivare\/samtal\/([0-9a-f-]{36})$/.exec(res.headers.get('location') ?? '')?.[1];
          if (id) {
            c.conversations.push(id);
            break;
          }
        }
      }
    }
    const pairs: Pair[] = [];
    for (const c of counsellors) {
      for (const id of c.conversations) {
        const visitor = byConversation.get(id);
        if (!visitor) continue; // someone else's visitor (an earlier run's leftovers)
        const counsellorStream = openStream(`${baseUrl}/radgivare/samtal/${id}/handelser?after=0`, c.cookie, () => {});
        streams.push(counsellorStream);
        pairs.push({ visitor, counsellor: c, counsellorStream });
      }
    }
    if (pairs.length < chats) throw new Error(`only ${pairs.length} of ${chats} visitors were taken`);
    await until(() => visitors.every((v) => v.status === 'active'), 30_000, 'every visitor sees the counsellor');
    log(`  ${pairs.length} conversations active; measuring ${rounds} round trips each (${warmupRounds} warm-up), ${thinkMs ? `about ${thinkMs / 1000} s between messages` : 'back to back'}`);

    // The exchange: all pairs at once; within a pair, each message waits for the previous one.
    const latencies: number[] = [];
    const byDirection = { visitor: [] as number[], counsellor: [] as number[] };
    const postTimes: number[] = [];
    const errors: string[] = [];
    const deliver = async (from: 'visitor' | 'counsellor', pair: Pair, record: boolean) => {
      const body = `bench ${from} ${randomUUID()}`;
      const target = from === 'visitor' ? pair.counsellorStream : pair.visitor.stream;
      const arrived = target.waitFor(body, deliveryTimeoutMs);
      arrived.catch(() => undefined); // awaited below; a timeout while the POST still runs is no crash
      const t0 = performance.now();
      try {
        const url = from === 'visitor' ? `${baseUrl}/chatt/meddelande` : `${baseUrl}/radgivare/samtal/${pair.visitor.conversationId}/meddelanden`;
        const cookie = from === 'visitor' ? pair.visitor.jar.header() : pair.counsellor.cookie;
        const csrf = from === 'visitor' ? pair.visitor.jar.get('komet_csrf') : pair.counsellor.csrf;
        const res = await timedFetch(url, {
          method: 'POST',
          headers: { Cookie: cookie, Origin: origin, Accept: 'application/json', 'Content-Type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams({ _csrf: csrf, body, clientKey: randomUUID() }),
        });
        const text = await res.text();
        if (record) postTimes.push(performance.now() - t0);
        if (res.status !== 200 && res.status !== 201) throw new Error(`POST ${new URL(url).pathname.replace(/[0-9a-f-]{36}/, ':id')}: ${res.status} ${text.slice(0, 80)}`);
        const at = await arrived;
        if (record) {
          latencies.push(at - t0);
          byDirection[from].push(at - t0);
        }
      } catch (err) {
        if (record) errors.push(err instanceof Error ? err.message : String(err));
      }
    };
    const deadline = Date.now() + maxMs;
    let stoppedEarly: string | undefined;
    const think = (factor = 1) => (thinkMs ? sleep(thinkMs * factor * (0.5 + Math.random())) : Promise.resolve());
    // Each pair goes straight on from its warm-up into the measured rounds: a barrier between
    // them would restart all 200 pairs within the same two seconds, a burst no real chat sees.
    let started: number | undefined;
    const exchange = async (pair: Pair) => {
      // Each pair starts at a random point of one round (two messages and two pauses), as chats
      // that began at different times are in a steady state. Starting all 200 within a couple of
      // seconds doubled the rate of messages for the first rounds, and that echo of the start,
      // not delivery in a running chat, made the p99 on the embedded database.
      if (thinkMs) await sleep(Math.random() * 2 * thinkMs);
      for (let r = 0; r < warmupRounds + rounds; r++) {
        const reason = Date.now() >= deadline ? 'time limit' : stopIf();
        if (reason) {
          stoppedEarly ??= reason;
          return;
        }
        const record = r >= warmupRounds;
        if (record) started ??= performance.now();
        await deliver('visitor', pair, record);
        await think();
        await deliver('counsellor', pair, record);
        await think();
      }
    };
    // The bench's own event loop is timed too: 400 streams and 200 posts at once in this one
    // process can delay it, and every such delay would count as delivery time.
    const ownLoop = monitorEventLoopDelay({ resolution: 10 });
    ownLoop.enable();
    await Promise.all(pairs.map((p) => exchange(p)));
    const seconds = (performance.now() - (started ?? performance.now())) / 1000;
    ownLoop.disable();

    latencies.sort((a, b) => a - b);
    const p = (xs: number[], q: number) => round(percentile([...xs].sort((a, b) => a - b), q), 1);
    log(`  visitor → counsellor p50/p99 ${p(byDirection.visitor, 50)}/${p(byDirection.visitor, 99)} ms; counsellor → visitor ${p(byDirection.counsellor, 50)}/${p(byDirection.counsellor, 99)} ms; the POST alone ${p(postTimes, 50)}/${p(postTimes, 99)} ms; the bench's own event-loop delay p99/max ${round(ownLoop.percentile(99) / 1e6, 1)}/${round(ownLoop.max / 1e6, 1)} ms`);
    const counts = new Map<string, number>();
    for (const e of errors) counts.set(e.slice(0, 120), (counts.get(e.slice(0, 120)) ?? 0) + 1);
    return {
      name: 'chatDelivery',
      requests: latencies.length,
      concurrency: pairs.length,
      per_s: round(latencies.length / seconds, 1),
      p50_ms: round(percentile(latencies, 50), 2),
      p99_ms: round(percentile(latencies, 99), 2),
      seconds: round(seconds, 2),
      errors: errors.length,
      errorKinds: new Map([...counts].sort((a, b) => b[1] - a[1])),
      stoppedEarly,
    };
  } finally {
    for (const s of streams) s.close();
    await saveChatSettings(db, previous, null).catch(() => undefined);
    await db.chatDuty.deleteMany({ where: { person: { email: { startsWith: `bench-radgivare-${run}-` } } } }).catch(() => undefined);
  }
}

interface Counsellor {
  id: string;
  email: string;
  cookie: string;
  csrf: string;
  conversations: string[];
}

interface Visitor {
  jar: CookieJar;
  conversationId: string;
  status: string;
  stream: Stream;
}

interface Pair {
  visitor: Visitor;
  counsellor: Counsellor;
  counsellorStream: Stream;
}


interface Stream {
  /** Resolves with performance.now() when a message event with this body arrives. */
  waitFor(body: string, timeoutMs: number): Promise<number>;
  close(): void;
}

/**
 * Follows an event stream, reconnecting with Last-Event-ID as a browser does, until closed.
 * Message arrival times are taken the moment their event is parsed.
 */
function openStream(url: string, cookie: string, onEvent: (e: SseEvent) => void): Stream {
  const abort = new AbortController();
  const waiting = new Map<string, (at: number) => void>();
  const arrivedEarly = new Map<string, number>();
  let lastId = '';
  const handle = (e: SseEvent) => {
    if (e.id) lastId = e.id;
    if (e.event === 'message') {
      const at = performance.now();
      const { body } = JSON.parse(e.data) as { body: string };
      const resolve = waiting.get(body);
      if (resolve) {
        waiting.delete(body);
        resolve(at);
      } else if (body.startsWith('bench ')) arrivedEarly.set(body, at);
    }
    onEvent(e);
  };
  void (async () => {
    for (let attempt = 0; attempt < 20 && !abort.signal.aborted; attempt++) {
      try {
        const res = await fetch(url, { headers: { Cookie: cookie, Accept: 'text/event-stream', ...(lastId ? { 'Last-Event-ID': lastId } : {}) }, signal: abort.signal });
        if (res.status !== 200 || !res.body) throw new Error(`stream ${res.status}`);
        const decoder = new TextDecoder();
        const feed = sseFrames(handle);
        for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) feed(decoder.decode(chunk, { stream: true }));
      } catch {
        if (abort.signal.aborted) return;
      }
      await new Promise((r) => setTimeout(r, 500));
    }
  })();
  return {
    waitFor(body, timeoutMs) {
      const early = arrivedEarly.get(body);
      if (early !== undefined) {
        arrivedEarly.delete(body);
        return Promise.resolve(early);
      }
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          waiting.delete(body);
          reject(new Error(`not delivered within ${timeoutMs} ms`));
        }, timeoutMs);
        waiting.set(body, (at) => {
          clearTimeout(timer);
          resolve(at);
        });
      });
    },
    close: () => abort.abort(),
  };
}

function cookieValue(header: string, name: string): string {
  const match = new RegExp(`(?:^|;\\s*)${name}=([^;]+)`).exec(header);
  if (!match) throw new Error(`no ${name} cookie`);
  return match[1];
}

function timedFetch(url: string, init: RequestInit = {}): Promise<Response> {
  return fetch(url, { ...init, signal: AbortSignal.timeout(CALL_TIMEOUT_MS) });
}

/** Runs fn over items with at most `concurrency` at once; results in the items' order. */
async function pool<T, R>(items: T[], concurrency: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const lane = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, lane));
  return results;
}

async function until(check: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

function round(value: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}
