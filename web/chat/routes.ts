// The citizen's anonymous chat (R10.1, R10.2, R10.5): no login and no name. The visitor is a random
// key in an HttpOnly, SameSite=Strict cookie scoped to /chatt (the lib stores only its hash); a
// second cookie names their conversation. Messages arrive over server-sent events numbered by the
// conversation's sequence, so a dropped connection resumes with Last-Event-ID, nothing lost or
// shown twice. Nothing here logs a message, a key or anything a visitor wrote. A visitor who meets
// the closed notice is counted (issue 17) once per browser and day: a cookie holds only the day.
import type { Context } from 'hono';
import { Hono } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { HTTPException } from 'hono/http-exception';
import { z } from 'zod';
import { randomToken } from '../../lib/crypto';
import { loadChatSettings } from '../../lib/chat/chatSettings';
import {
  conversationChannel,
  endByVisitor,
  messagesAfter,
  placeInQueue,
  postMessage,
  queueInfo,
  quickExit,
  sharedQueue,
  startConversation,
  visitorConversation,
  type ChatConversationRow,
  type ChatDeps,
  type ChatMessageRow,
} from '../../lib/chat/conversations';
import type { Db } from '../../lib/db';
import { chatHub, QUEUE_CHANNEL, type ChatHub } from '../../lib/chat/hub';
import { CHAT_MESSAGE_MAX, chatMessageText, chatTextProblemOf, type ChatTextProblem } from '../../lib/chat/messageText';
import { openingState } from '../../lib/chat/openingHours';
import { countClosedNotice } from '../../lib/chat/outcomes';
import { countsClosedNotice, secondsLeftOfDay } from '../../rules/chatOutcome';
import { formatDate, formatDateTime, formatTime, stockholmDateString } from '../../lib/time';
import type { AppEnv } from '../context';
import { render as renderPage, type ViewData } from '../render';
import { clientAddress, hitLimit, rateLimit } from '../security/rateLimit';
// One SSE writer for the chat's streams, the visitor's and the console's.
import { eventStream, lastEventId, messageSequence, SSE_PING_MS, watchChannels, type SseWriter } from '../sse';

/** Where the quick exit leaves for: a neutral site that says nothing about the visit. */
export const NEUTRAL_URL = 'https://www.google.se';
/** Messages a visitor may send per window (flooding is refused with 429, nothing stored). */
export const CHAT_RATE = { max: 10, windowMs: 10_000 };
/** New chats one visitor may start per window (per client address: the admin's setting). */
export const CHAT_STARTS_PER_VISITOR = 5;
const CHAT_START_WINDOW_MS = 10 * 60_000;
/** Open event streams per visitor key (tabs, reconnects that overlap). */
export const CHAT_MAX_STREAMS = 3;
/**
 * How long a stream waits for a nudge before it re-reads the database anyway: only a safety net,
 * as every writer nudges (other processes through the relay, lib/chat/hubRelay.ts); each re-read
 * of hundreds of open streams loads the one embedded database.
 */
const STREAM_RECHECK_MS = 15_000;
const PAGE = 200;

const KEY_PATTERN = /^[A-Za-z0-9_-]{43}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const CLIENT_KEY = /^[A-Za-z0-9-]{8,64}$/;

type Ctx = Context<AppEnv>;


// ---- the visitor's cookies -------------------------------------------------------------------

const cookieName = (c: Ctx, base: string) => (c.get('deps').config.secureCookies ? `__Secure-${base}` : base);
const KEY_COOKIE = 'komet_chat_key';
const CONVERSATION_COOKIE = 'komet_chat';
/** The Stockholm day this browser was last counted at the closed notice (the day, nothing else). */
export const CLOSED_NOTICE_COOKIE = 'komet_chat_closed';

function cookieOptions(c: Ctx) {
  // No max-age: the browser forgets the chat when it closes.
  return { path: '/chatt', httpOnly: true, sameSite: 'Strict' as const, secure: c.get('deps').config.secureCookies };
}

function visitorKey(c: Ctx): string | null {
  const key = getCookie(c, cookieName(c, KEY_COOKIE));
  return key && KEY_PATTERN.test(key) ? key : null;
}

function ensureVisitorKey(c: Ctx): string {
  const existing = visitorKey(c);
  if (existing) return existing;
  const key = randomToken(32);
  setCookie(c, cookieName(c, KEY_COOKIE), key, cookieOptions(c));
  return key;
}

/**
 * Counts this browser at the closed notice, once a day: the cookie keeps the day until midnight
 * (Lax, so a visitor who follows a link from another site is recognised too). A count that fails
 * is not noted, and the visitor still sees the notice.
 */
async function countAtClosedNotice(c: Ctx): Promise<void> {
  const now = new Date();
  if (!countsClosedNotice(getCookie(c, cookieName(c, CLOSED_NOTICE_COOKIE)), now)) return;
  try {
    await countClosedNotice(c.get('deps').db, now);
  } catch {
    return;
  }
  setCookie(c, cookieName(c, CLOSED_NOTICE_COOKIE), stockholmDateString(now), {
    path: '/chatt',
    httpOnly: true,
    sameSite: 'Lax',
    secure: c.get('deps').config.secureCookies,
    maxAge: secondsLeftOfDay(now),
  });
}

function forgetConversation(c: Ctx, alsoKey = false): void {
  deleteCookie(c, cookieName(c, CONVERSATION_COOKIE), cookieOptions(c));
  if (alsoKey) deleteCookie(c, cookieName(c, KEY_COOKIE), cookieOptions(c));
}

function chatDeps(c: Ctx, hub: ChatHub = chatHub): ChatDeps {
  const { db, temporal, config } = c.get('deps');
  return { db, temporal, config, hub };
}

/** The conversation this browser's key owns, or null. */
async function currentConversation(c: Ctx): Promise<{ key: string; conversation: ChatConversationRow } | null> {
  const key = visitorKey(c);
  const id = getCookie(c, cookieName(c, CONVERSATION_COOKIE));
  if (!key || !id || !UUID.test(id)) return null;
  const conversation = await visitorConversation(chatDeps(c), key, id);
  return conversation ? { key, conversation } : null;
}

const wantsJson = (c: Ctx) => (c.req.header('accept') ?? '').includes('application/json');

// ---- texts shared by the page and the stream -----------------------------------------------

type Translate = AppEnv['Variables']['t'];
type QueueInfo = Awaited<ReturnType<typeof queueInfo>>;
type SharedQueue = ReturnType<typeof sharedQueue>;

export interface StatusView {
  status: 'waiting' | 'active' | 'closed';
  lines: string[];
  reason?: string;
}

function statusView(t: Translate, conversation: Pick<ChatConversationRow, 'status' | 'closedReason'>, queue: QueueInfo): StatusView {
  if (conversation.status === 'active') return { status: 'active', lines: [t('chat.status.active')] };
  if (conversation.status === 'closed') {
    const reason = ['visitor', 'counsellor', 'inactivity', 'blocked'].includes(conversation.closedReason ?? '') ? conversation.closedReason! : 'other';
    return { status: 'closed', reason, lines: [t(`chat.status.closed.${reason}`)] };
  }
  const lines: string[] = [];
  if (queue) {
    lines.push(queue.position <= 1 ? t('chat.status.first') : t('chat.status.position', { position: queue.position }));
    if (queue.estimateMinutes === null || queue.onDuty === 0) lines.push(t('chat.status.noneOnDuty'));
    else if (queue.estimateMinutes < 1) lines.push(t('chat.status.estimateSoon'));
    else if (Math.ceil(queue.estimateMinutes) === 1) lines.push(t('chat.status.estimateOne'));
    else lines.push(t('chat.status.estimate', { minutes: Math.ceil(queue.estimateMinutes) }));
  }
  return { status: 'waiting', lines };
}

export interface MessageView {
  seq: number;
  sender: 'visitor' | 'counsellor' | 'system';
  body: string;
  time: string;
}

function messageView(m: ChatMessageRow, lang: string): MessageView {
  const sender = m.sender === 'visitor' || m.sender === 'counsellor' ? m.sender : 'system';
  return { seq: m.seq, sender, body: m.body, time: formatTime(m.createdAt, lang) };
}

async function allMessages(c: Ctx, conversationId: string): Promise<ChatMessageRow[]> {
  const db = c.get('deps').db;
  const out: ChatMessageRow[] = [];
  for (let after = 0; out.length < 20_000; ) {
    const page = await messagesAfter(db, conversationId, after, PAGE);
    out.push(...page);
    if (page.length < PAGE) break;
    after = page[page.length - 1].seq;
  }
  return out;
}

// ---- pages ---------------------------------------------------------------------------------

/** Every chat page carries the quick exit, which needs to know where to leave for. */
function render(c: Ctx, view: string, data: ViewData, status: 200 | 403 | 409 | 422 | 429 | 503 = 200) {
  return renderPage(c, view, { ...data, neutralUrl: NEUTRAL_URL }, status);
}

async function renderStart(c: Ctx, status: 200 | 403 = 200) {
  const settings = await loadChatSettings(c.get('deps').db);
  const state = openingState(settings);
  const lang = c.get('lang');
  if (!state.open) {
    await countAtClosedNotice(c);
    return render(c, '/chat/views/closed', {
      title: c.get('t')('chat.closed.title'),
      opensAt: state.opensAt ? c.get('t')('chat.closed.when', { date: formatDate(state.opensAt, lang), time: formatTime(state.opensAt, lang) }) : null,
      opensAtIso: state.opensAt?.toISOString() ?? null,
    }, status);
  }
  return render(c, '/chat/views/intro', {
    title: c.get('t')('chat.title'),
    closesAt: formatTime(state.closesAt, lang),
    retentionDays: Math.ceil(settings.retentionMs / 86_400_000),
  }, status);
}

async function renderConversation(
  c: Ctx,
  conversation: ChatConversationRow,
  form: { error?: string; value?: string } = {},
  status: 200 | 409 | 422 | 429 = 200,
) {
  const deps = chatDeps(c);
  const [messages, queue, settings] = await Promise.all([
    allMessages(c, conversation.id),
    conversation.status === 'waiting' ? queueInfo(deps, conversation.id) : Promise.resolve(null),
    loadChatSettings(deps.db),
  ]);
  const lang = c.get('lang');
  return render(c, '/chat/views/conversation', {
    title: c.get('t')('chat.conversation.title'),
    conversation,
    state: statusView(c.get('t'), conversation, queue),
    messages: messages.map((m) => messageView(m, lang)),
    lastSeq: messages.length ? messages[messages.length - 1].seq : 0,
    max: CHAT_MESSAGE_MAX,
    error: form.error,
    value: form.value ?? '',
    clientKey: crypto.randomUUID(),
    transcriptDeletedOnClose: settings.retentionMs === 0,
  }, status);
}

async function renderEnded(c: Ctx, conversation: ChatConversationRow, error?: string) {
  const settings = await loadChatSettings(c.get('deps').db);
  return render(c, '/chat/views/ended', {
    title: c.get('t')('chat.ended.title'),
    state: statusView(c.get('t'), conversation, null),
    transcript: !conversation.transcriptDeletedAt,
    canStartAgain: openingState(settings).open,
    error,
  }, error ? 422 : 200);
}

/** A start refused (the queue is full, or too many starts): in the chat's page, with where else to turn. */
function renderBusy(c: Ctx, reason: 'full' | 'rateLimited', retryAfterS: number) {
  c.header('Retry-After', String(retryAfterS));
  return render(c, '/chat/views/busy', { title: c.get('t')(`chat.busy.${reason}.title`), reason }, reason === 'full' ? 503 : 429);
}

function renderUnavailable(c: Ctx) {
  forgetConversation(c);
  return render(c, '/chat/views/unavailable', { title: c.get('t')('chat.unavailable.title') }, 403);
}

// ---- the event stream ----------------------------------------------------------------------

const openStreams = new Map<string, AbortController[]>();
const closedEvent = (t: Translate) => ({ event: 'status', data: JSON.stringify({ status: 'closed', reason: 'other', lines: [t('chat.status.closed.other')] }) });

/**
 * The visitor's stream: `message` events with id = sequence number (a reconnect's Last-Event-ID
 * resumes after the last one seen, so nothing is lost or sent twice), and a `status` event
 * whenever the queue place, the estimate or the state changes. It ends when the chat closes.
 */
async function runStream(c: Ctx, out: SseWriter, signal: AbortSignal, key: string, conversationId: string, after: number, hub: ChatHub, queue: SharedQueue): Promise<void> {
  const deps = chatDeps(c, hub);
  const t = c.get('t');
  const lang = c.get('lang');
  const own = conversationChannel(conversationId);
  const messages = messageSequence(out, after, (m) => ({ event: 'message', id: String(m.seq), data: JSON.stringify(messageView(m, lang)) }));
  let lastStatus = '';
  let conversation: ChatConversationRow | null = null;
  let readRow = true;
  let queueMoved = false;
  let readAt = 0;
  const sendStatus = async (view: StatusView) => {
    const status = JSON.stringify(view);
    if (status === lastStatus) return;
    await out.send({ event: 'status', data: status });
    lastStatus = status;
  };
  // A standing watch, so a nudge that lands while the stream reads is not missed, and a stored
  // message is sent the moment it comes. While waiting, the queue's channel too: someone ahead
  // being taken moves this visitor's place.
  const watch = watchChannels(hub, signal, (channel, m) => channel === own && messages.offer(m));
  while (!signal.aborted) {
    const waiting = conversation === null || conversation.status === 'waiting';
    watch.follow(waiting ? [own, QUEUE_CHANNEL] : [own]);
    if (!readRow && queueMoved && conversation?.status === 'waiting') {
      // Only the queue moved: the place comes from the snapshot all waiting streams share. Not in
      // it any more (taken, closed): the row says what happened.
      const place = placeInQueue(await queue.snapshot(), conversationId);
      if (place) await sendStatus(statusView(t, conversation, place));
      else readRow = true;
    }
    if (readRow) {
      readAt = Date.now();
      // The row first: its counter says whether there is anything to send (a message and the
      // counter commit together), so a quiet re-read costs one query. A closed row's counter is final.
      conversation = await visitorConversation(deps, key, conversationId);
      if (!conversation) {
        await out.send(closedEvent(t));
        return;
      }
      while (conversation.lastSeq > messages.last() && !signal.aborted) {
        const batch = await messagesAfter(deps.db, conversationId, messages.last(), PAGE);
        if (!batch.length || !messages.offerAll(batch)) break;
      }
      const place = conversation.status === 'waiting' ? placeInQueue(await queue.snapshot(), conversationId) : null;
      await sendStatus(statusView(t, conversation, place));
      if (conversation.status === 'closed') return;
    }
    if (out.idleMs() >= SSE_PING_MS) await out.ping();
    // Jittered, so streams opened together do not all re-read in the same instant.
    const recheck = STREAM_RECHECK_MS * (0.75 + Math.random() / 2);
    await watch.wait(Math.max(0, readAt + recheck - Date.now()));
    // Messages that followed on were sent as they came; anything else is read from the database.
    const noted = watch.take();
    queueMoved = noted.changed.has(QUEUE_CHANNEL);
    readRow = noted.changed.has(own) || !messages.offerAll(noted.messages.get(own)) || Date.now() - readAt >= recheck;
  }
}

// ---- routes --------------------------------------------------------------------------------

export interface ChatRouteOptions {
  hub?: ChatHub;
}

export function chatRoutes(options: ChatRouteOptions = {}) {
  const app = new Hono<AppEnv>();
  const hub = options.hub ?? chatHub;
  // One shared queue view per database (tests run several apps in one process).
  const queues = new WeakMap<Db, SharedQueue>();
  const queueOf = (db: Db) => queues.get(db) ?? queues.set(db, sharedQueue(hub, db)).get(db)!;

  const byVisitor = (c: Ctx) => visitorKey(c) ?? `address:${clientAddress(c)}`;
  // Messages and survey answers per visitor: each needs a conversation of its own, and starting
  // those is limited per address too, so fresh cookies buy nothing.
  const messageLimit = rateLimit('chat-message', CHAT_RATE.max, CHAT_RATE.windowMs, byVisitor);
  const surveyLimit = rateLimit('chat-survey', 5, 10 * 60_000, byVisitor);

  app.get('/chatt', async (c) => {
    const current = await currentConversation(c);
    ensureVisitorKey(c); // before the start form, so its rate limit counts this browser
    if (current?.conversation.status === 'closed') {
      if (current.conversation.closedReason === 'blocked') return renderUnavailable(c);
      return renderEnded(c, current.conversation);
    }
    if (current) return renderConversation(c, current.conversation);
    return renderStart(c);
  });

  app.post('/chatt/starta', async (c) => {
    const key = ensureVisitorKey(c);
    const current = await currentConversation(c);
    if (current && current.conversation.status !== 'closed') return c.redirect('/chatt', 303);
    // New chats per visitor, and per client address (issue 14: a cookie is the client's to
    // choose, 12 fresh ones made 12 conversations); the address's allowance is the admin's setting.
    const settings = await loadChatSettings(c.get('deps').db);
    for (const [name, client, max] of [
      ['chat-start', byVisitor(c), CHAT_STARTS_PER_VISITOR],
      ['chat-start-address', clientAddress(c), settings.startsPerAddress],
    ] as const) {
      const hit = await hitLimit(c.get('deps'), name, client, max, CHAT_START_WINDOW_MS);
      if (!hit.allowed) return renderBusy(c, 'rateLimited', hit.retryAfterS);
    }
    const started = await startConversation(chatDeps(c, hub), key);
    if (!started.ok) {
      if (started.code === 'blocked') return renderUnavailable(c);
      if (started.code === 'full') return renderBusy(c, 'full', 60);
      forgetConversation(c);
      return renderStart(c);
    }
    setCookie(c, cookieName(c, CONVERSATION_COOKIE), started.conversationId, cookieOptions(c));
    return c.redirect('/chatt', 303);
  });

  app.post(
    '/chatt/meddelande',
    async (c, next) => {
      // The limit's refusal in the chat's own words: JSON for the page's script, the page otherwise.
      try {
        await messageLimit(c, next);
      } catch (err) {
        if (!(err instanceof HTTPException) || err.status !== 429) throw err;
        const text = c.get('t')('chat.errors.rateLimited');
        if (wantsJson(c)) return c.json({ error: { code: 'rate_limited', message: text } }, 429);
        const current = await currentConversation(c);
        if (!current) return c.redirect('/chatt', 303);
        const form = await c.req.parseBody();
        return renderConversation(c, current.conversation, { error: text, value: typeof form.body === 'string' ? form.body : '' }, 429);
      }
    },
    async (c) => {
      const t = c.get('t');
      const json = wantsJson(c);
      const current = await currentConversation(c);
      if (!current) {
        if (json) return c.json({ error: { code: 'gone', message: t('chat.status.closed.other') } }, 404);
        return c.redirect('/chatt', 303);
      }
      const form = await c.req.parseBody();
      const raw = typeof form.body === 'string' ? form.body : '';
      const refuse = (code: ChatTextProblem | 'closed', status: 409 | 422) => {
        const message = t(`chat.errors.${code}`, { max: CHAT_MESSAGE_MAX });
        if (json) return c.json({ error: { code, message, field: code === 'closed' ? undefined : 'body' } }, status);
        if (code === 'closed') return c.redirect('/chatt', 303);
        return renderConversation(c, current.conversation, { error: message, value: raw }, status);
      };
      if (current.conversation.status === 'closed') return refuse('closed', 409);
      const parsed = chatMessageText.safeParse(raw);
      if (!parsed.success) return refuse(chatTextProblemOf(parsed.error), 422);
      const clientKey = typeof form.clientKey === 'string' && CLIENT_KEY.test(form.clientKey) ? form.clientKey : crypto.randomUUID();
      const result = await postMessage(chatDeps(c, hub), {
        conversationId: current.conversation.id,
        sender: 'visitor',
        body: parsed.data,
        clientKey,
      });
      if (!result.ok) {
        if (result.code === 'closed') return refuse('closed', 409);
        if (result.code !== 'not-yours') return refuse(result.code, 422);
        throw new HTTPException(403);
      }
      if (json) return c.json({ ok: true, message: messageView(result.message, c.get('lang')) });
      return c.redirect('/chatt#chatt-skriv', 303);
    },
  );

  app.get('/chatt/handelser', async (c) => {
    const current = await currentConversation(c);
    if (!current) {
      // Nothing to follow: one closing event, so the page stops listening.
      return eventStream(c, async (out) => out.send(closedEvent(c.get('t'))));
    }
    const { key, conversation } = current;
    const after = lastEventId(c);
    // At most CHAT_MAX_STREAMS per visitor: a new one (a reconnect whose old connection the server
    // has not yet seen die, another tab) ends the oldest, so a reconnect is never locked out.
    const evict = new AbortController();
    const mine = openStreams.get(key) ?? [];
    mine.push(evict);
    openStreams.set(key, mine);
    while (mine.length > CHAT_MAX_STREAMS) mine.shift()!.abort();
    // A failed read ends the stream (eventStream logs the error's class only); the browser
    // reconnects and resumes after its last id.
    return eventStream(c, async (out, signal) => {
      try {
        await runStream(c, out, AbortSignal.any([signal, evict.signal]), key, conversation.id, after, hub, queueOf(c.get('deps').db));
      } finally {
        const left = (openStreams.get(key) ?? []).filter((a) => a !== evict);
        if (left.length) openStreams.set(key, left);
        else openStreams.delete(key);
      }
    });
  });

  app.get('/chatt/avsluta', async (c) => {
    const current = await currentConversation(c);
    if (!current || current.conversation.status === 'closed') return c.redirect('/chatt', 303);
    const settings = await loadChatSettings(c.get('deps').db);
    return render(c, '/chat/views/confirmEnd', {
      title: c.get('t')('chat.end.title'),
      transcriptDeletedOnClose: settings.retentionMs === 0,
      transcript: !current.conversation.transcriptDeletedAt,
    });
  });

  app.post('/chatt/avsluta', async (c) => {
    const current = await currentConversation(c);
    if (current && current.conversation.status !== 'closed') await endByVisitor(chatDeps(c, hub), current.conversation.id);
    return c.redirect('/chatt', 303);
  });

  // The quick exit: ends the chat, forgets it in this browser, leaves for a neutral site. The page's
  // script sends it as a beacon (beacon=1: no redirect needed) and navigates away by itself.
  app.post('/chatt/snabbavslut', async (c) => {
    const current = await currentConversation(c).catch(() => null);
    if (current) await quickExit(chatDeps(c, hub), current.conversation.id).catch(() => undefined);
    forgetConversation(c, true);
    const form = await c.req.parseBody().catch(() => ({}) as Record<string, unknown>);
    if (form.beacon === '1') return c.body(null, 204);
    return c.redirect(NEUTRAL_URL, 303);
  });

  app.get('/chatt/utskrift.txt', async (c) => {
    const current = await currentConversation(c);
    if (!current || current.conversation.transcriptDeletedAt) throw new HTTPException(404);
    const t = c.get('t');
    const lang = c.get('lang');
    const messages = await allMessages(c, current.conversation.id);
    const who = (m: ChatMessageRow) => t(`chat.who.${m.sender === 'visitor' || m.sender === 'counsellor' ? m.sender : 'system'}`);
    const lines = [
      t('chat.transcript.heading'),
      t('chat.transcript.started', { when: formatDateTime(current.conversation.createdAt, lang) }),
      t('chat.transcript.downloaded', { when: formatDateTime(new Date(), lang) }),
      '',
      ...(messages.length ? messages.map((m) => `[${formatTime(m.createdAt, lang)}] ${who(m)}: ${m.body.replace(/\r\n?/g, '\n').replace(/\n/g, '\n    ')}`) : [t('chat.transcript.empty')]),
      '',
    ];
    c.header('Content-Type', 'text/plain; charset=utf-8');
    c.header('Content-Disposition', `attachment; filename="chatt-${stockholmDateString(current.conversation.createdAt)}.txt"`);
    return c.body(`\uFEFF${lines.join('\r\n')}`);
  });

  app.post('/chatt/enkat', surveyLimit, async (c) => {
    const current = await currentConversation(c);
    if (!current || current.conversation.status !== 'closed') return c.redirect('/chatt', 303);
    const form = await c.req.parseBody();
    if (form.action === 'skip') {
      forgetConversation(c);
      return c.redirect('/chatt/tack?svar=nej', 303);
    }
    const rating = z.coerce.number().int().min(1).max(5).safeParse(form.rating);
    if (!rating.success) return renderEnded(c, current.conversation, c.get('t')('chat.errors.rating'));
    await c.get('deps').db.chatSurveyAnswer.create({
      data: { rating: rating.data, answeredOn: new Date(`${stockholmDateString(new Date())}T00:00:00Z`) },
    });
    forgetConversation(c);
    return c.redirect('/chatt/tack', 303);
  });

  app.get('/chatt/tack', (c) =>
    render(c, '/chat/views/thanks', { title: c.get('t')('chat.thanks.title'), answered: c.req.query('svar') !== 'nej' }),
  );

  return app;
}
