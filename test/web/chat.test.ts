// The visitor's side of the chat (R10.1, R10.2, R10.5) through the real app, workflow and database:
// closed outside opening hours with the next opening shown; start, queue place and estimate; bad
// input refused with nothing stored; the event stream resumes after Last-Event-ID without
// duplicates; the transcript only for its owner; the quick exit without script; survey and block.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { saveChatSettings, WEEKDAYS, type ChatSettings } from '../../lib/chat/chatSettings';
import { CHAT_MESSAGE_MAX } from '../../lib/chat/messageText';
import { blockVisitor, endByVisitor, postMessage, queueInfo, quickExit, setOnDuty, takeNext, type ChatDeps } from '../../lib/chat/conversations';
import { chatHub } from '../../lib/chat/hub';
import { openingState } from '../../lib/chat/openingHours';
import { addDays, formatDate, formatTime, stockholmDateString, stockholmInstant } from '../../lib/time';
import { DEMO_STAFF } from '../../prisma/seed';
import { createApp } from '../../web/app';
import { CHAT_RATE, NEUTRAL_URL } from '../../web/chat/routes';
import { sseFrames, type SseEvent } from '../support/sseFrames';
import { html, sv } from '../support/text';
import { eventually } from '../support/eventually';
import { startStack, type TestStack } from '../support/stack';
import { ORIGIN, WebClient } from '../support/webClient';

let stack: TestStack;
let app: ReturnType<typeof createApp>;
let deps: ChatDeps;
let counsellorId: string;

const allWeek = (ranges: ChatSettings['weekly']['mon']) => Object.fromEntries(WEEKDAYS.map((d) => [d, ranges])) as ChatSettings['weekly'];

async function openAllDay(): Promise<void> {
  const settings = await saveChatSettings(stack.deps.db, { weekly: allWeek([{ from: '00:00', to: '23:59' }]), exceptions: [] }, null);
  // The one closed minute of the day (23:59–24:00 Stockholm): wait it out rather than fail.
  if (!openingState(settings).open) await new Promise((r) => setTimeout(r, 61_000));
}

beforeAll(async () => {
  stack = await startStack();
  app = createApp(stack.deps);
  deps = { ...stack.deps, hub: chatHub };
  counsellorId = (await stack.deps.db.person.findUniqueOrThrow({ where: { email: DEMO_STAFF.counsellor } })).id;
});
afterAll(async () => stack?.stop());

/** A new visitor who has started a chat. */
async function startedVisitor(): Promise<{ visitor: WebClient; conversationId: string }> {
  const visitor = new WebClient(app);
  const intro = await visitor.get('/chatt');
  expect(intro.status).toBe(200);
  const started = await visitor.post('/chatt/starta', {});
  expect(started.status).toBe(303);
  expect(started.headers.get('location')).toBe('/chatt');
  const conversationId = visitor.cookie('komet_chat')!;
  expect(conversationId).toMatch(/^[0-9a-f-]{36}$/);
  return { visitor, conversationId };
}

/** Posts as the page's script does (JSON answer). */
function postJson(visitor: WebClient, body: string, clientKey = crypto.randomUUID()) {
  return app.request('/chatt/meddelande', {
    method: 'POST',
    body: new URLSearchParams({ _csrf: visitor.cookie('komet_csrf')!, body, clientKey }),
    headers: {
      cookie: cookieHeader(visitor),
      origin: ORIGIN,
      accept: 'application/json',
      'content-type': 'application/x-www-form-urlencoded',
    },
  });
}

function cookieHeader(visitor: WebClient, override: Record<string, string> = {}): string {
  const jar: Record<string, string> = {};
  for (const name of ['komet_csrf', 'komet_chat_key', 'komet_chat']) {
    const value = visitor.cookie(name);
    if (value) jar[name] = value;
  }
  return Object.entries({ ...jar, ...override }).map(([k, v]) => `${k}=${v}`).join('; ');
}


/** Opens the visitor's event stream and reads events until `enough` says so (or the time is up). */
async function readStream(
  visitor: WebClient,
  headers: Record<string, string>,
  enough: (events: SseEvent[]) => boolean,
  during?: () => Promise<void>,
  timeoutMs = 10_000,
): Promise<SseEvent[]> {
  const abort = new AbortController();
  const res = await app.request('/chatt/handelser', { headers: { cookie: cookieHeader(visitor), ...headers }, signal: abort.signal });
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toContain('text/event-stream');
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  const events: SseEvent[] = [];
  const feed = sseFrames((e) => events.push(e));
  const deadline = Date.now() + timeoutMs;
  let ran = false;
  try {
    while (!enough(events) && Date.now() < deadline) {
      const chunk = await Promise.race([reader.read(), new Promise<null>((r) => setTimeout(() => r(null), deadline - Date.now()))]);
      if (!chunk || chunk.done) break;
      feed(decoder.decode(chunk.value, { stream: true }));
      if (during && !ran && events.some((e) => e.event === 'status')) {
        ran = true;
        await during();
      }
    }
  } finally {
    abort.abort();
    await reader.cancel().catch(() => undefined);
  }
  return events;
}

const messageSeqs = (events: SseEvent[]) => events.filter((e) => e.event === 'message').map((e) => Number(e.id));

describe('the visitor\'s chat', () => {
  it('outside opening hours says when it opens and where to turn now, and starts nothing', async () => {
    const date = addDays(stockholmDateString(new Date()), 3);
    await saveChatSettings(stack.deps.db, { weekly: allWeek([]), exceptions: [{ date, hours: [{ from: '10:00', to: '12:00' }], note: '' }] }, null);
    const visitor = new WebClient(app);
    const page = await (await visitor.get('/chatt')).text();
    const opensAt = stockholmInstant(date, '10:00');
    expect(page).toContain(html(sv('chat.closed.title')));
    expect(page).toContain(html(sv('chat.closed.opensAt', { when: sv('chat.closed.when', { date: formatDate(opensAt, 'sv'), time: formatTime(opensAt, 'sv') }) })));
    expect(page).toContain('112');
    expect(page).toContain('08-508 40 000');
    expect(page).toContain(html(sv('chat.quickExit.button')));
    const start = await visitor.post('/chatt/starta', {});
    expect(start.status).toBe(200);
    expect(await start.text()).toContain(html(sv('chat.closed.title')));
    expect(await stack.deps.db.chatConversation.count()).toBe(0);
    // The public start page leads to the chat.
    expect(await (await visitor.get('/')).text()).toContain('href="/chatt"');
  });

  it('during opening hours starts anonymously, shows the queue place and an honest estimate', async () => {
    await openAllDay();
    const visitor = new WebClient(app);
    const intro = await (await visitor.get('/chatt')).text();
    expect(intro).toContain(html(sv('chat.intro.start')));
    expect(intro).toContain(html(sv('chat.intro.privacyDeleted')));
    const key = visitor.cookie('komet_chat_key')!;
    expect(key).toMatch(/^[A-Za-z0-9_-]{43}$/);

    const started = await visitor.post('/chatt/starta', {});
    expect(started.status).toBe(303);
    const conversationId = visitor.cookie('komet_chat')!;
    const row = await stack.deps.db.chatConversation.findUniqueOrThrow({ where: { id: conversationId } });
    expect(row.status).toBe('waiting');
    expect(row.visitorKeyHash).not.toContain(key); // only the hash is stored

    // The cookies: HttpOnly, SameSite=Strict, only for /chatt.
    const cookies = started.headers.getSetCookie().join('\n');
    expect(cookies).toMatch(/komet_chat=[^;]+; Path=\/chatt; HttpOnly; SameSite=Strict/);

    const waiting = await (await visitor.get('/chatt')).text();
    expect(waiting).toContain(html(sv('chat.conversation.title')));
    expect(waiting).toContain(html(sv('chat.status.first')));
    expect(waiting).toContain(html(sv('chat.status.noneOnDuty'))); // nobody on duty: no made-up estimate

    await setOnDuty(deps, counsellorId, true);
    const withCounsellor = await (await visitor.get('/chatt')).text();
    expect(withCounsellor).toContain(html(sv('chat.status.estimateSoon')));

    // Another browser with its own key cannot open this conversation, even knowing its id.
    const other = new WebClient(app);
    await other.get('/chatt');
    const forged = await app.request('/chatt', { headers: { cookie: cookieHeader(other, { komet_chat: conversationId }) } });
    const forgedPage = await forged.text();
    expect(forgedPage).not.toContain(html(sv('chat.status.first')));
    expect(forgedPage).toContain(html(sv('chat.intro.start')));
    await visitor.post('/chatt/avsluta', {});
    await setOnDuty(deps, counsellorId, false);
  });

  it('refuses bad input (empty, oversized, markup) clearly and stores nothing', async () => {
    await openAllDay();
    const { visitor, conversationId } = await startedVisitor();
    const count = () => stack.deps.db.chatMessage.count({ where: { conversationId } });

    const empty = await visitor.post('/chatt/meddelande', { body: '   \n ', clientKey: crypto.randomUUID() });
    expect(empty.status).toBe(422);
    const emptyPage = await empty.text();
    expect(emptyPage).toContain(html(sv('chat.errors.empty')));
    expect(emptyPage).toContain('aria-invalid="true"');

    const long = 'a'.repeat(CHAT_MESSAGE_MAX + 1);
    const tooLong = await visitor.post('/chatt/meddelande', { body: long, clientKey: crypto.randomUUID() });
    expect(tooLong.status).toBe(422);
    expect(await tooLong.text()).toContain(html(sv('chat.errors.tooLong', { max: CHAT_MESSAGE_MAX })));
    const tooLongJson = await postJson(visitor, long);
    expect(tooLongJson.status).toBe(422);
    expect(await tooLongJson.json()).toMatchObject({ error: { code: 'tooLong', field: 'body', message: sv('chat.errors.tooLong', { max: CHAT_MESSAGE_MAX }) } });
    expect(await count()).toBe(0);

    // Markup is refused next to the field, on the page and as JSON; "<3" and "a < b" are not markup.
    const markupError = sv('chat.errors.markup');
    const refused = await visitor.post('/chatt/meddelande', { body: '<script>alert("hej")</script>', clientKey: crypto.randomUUID() });
    expect(refused.status).toBe(422);
    const refusedPage = await refused.text();
    expect(refusedPage).toContain(html(markupError));
    expect(refusedPage).toContain('aria-invalid="true"');
    expect(refusedPage).not.toContain('<script>alert');
    for (const markup of ['<img src=x onerror=alert(1)>', 'hej <b>du</b>']) {
      const refusedJson = await postJson(visitor, markup);
      expect(refusedJson.status).toBe(422);
      expect(await refusedJson.json()).toMatchObject({ error: { code: 'markup', field: 'body', message: markupError } });
    }
    expect(await count()).toBe(0);
    const heart = await postJson(visitor, 'Tack <3 och 2 < 5');
    expect(heart.status).toBe(200);
    expect(await heart.json()).toMatchObject({ ok: true, message: { seq: 1, sender: 'visitor', body: 'Tack <3 och 2 < 5' } });
    expect(await (await visitor.get('/chatt')).text()).toContain(html('Tack <3 och 2 < 5'));

    // A retried send (same client key) is stored once.
    const key = crypto.randomUUID();
    type Sent = { message: { seq: number } };
    const first = (await (await postJson(visitor, 'Hej, jag undrar en sak', key)).json()) as Sent;
    const again = (await (await postJson(visitor, 'Hej, jag undrar en sak', key)).json()) as Sent;
    expect(again.message.seq).toBe(first.message.seq);
    expect(await count()).toBe(2);
    await visitor.post('/chatt/avsluta', {});
  });

  it('refuses flooding with 429 and stores nothing of it', async () => {
    await openAllDay();
    const { visitor, conversationId } = await startedVisitor();
    const answers: number[] = [];
    for (let i = 0; i < CHAT_RATE.max; i++) answers.push((await postJson(visitor, `meddelande ${i}`)).status);
    expect(answers.every((s) => s === 200)).toBe(true);
    const flooded = await postJson(visitor, 'ett till');
    expect(flooded.status).toBe(429);
    expect(flooded.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(await flooded.json()).toMatchObject({ error: { code: 'rate_limited', message: sv('chat.errors.rateLimited') } });
    const floodedForm = await visitor.post('/chatt/meddelande', { body: 'och ett till', clientKey: crypto.randomUUID() });
    expect(floodedForm.status).toBe(429);
    expect(await floodedForm.text()).toContain(html(sv('chat.errors.rateLimited')));
    expect(await stack.deps.db.chatMessage.count({ where: { conversationId } })).toBe(CHAT_RATE.max);
    // Another visitor is not affected.
    const other = await startedVisitor();
    expect((await postJson(other.visitor, 'hej')).status).toBe(200);
    await visitor.post('/chatt/avsluta', {});
    await other.visitor.post('/chatt/avsluta', {});
  });

  it('streams messages live and resumes after Last-Event-ID without duplicates', async () => {
    await openAllDay();
    const { visitor, conversationId } = await startedVisitor();
    for (const text of ['ett', 'två', 'tre']) expect((await postJson(visitor, text)).status).toBe(200);

    // Waiting: the first status names the queue place.
    await setOnDuty(deps, counsellorId, true);
    const queued = await readStream(visitor, {}, (ev) => ev.some((e) => e.event === 'status'));
    expect(messageSeqs(queued)).toEqual([1, 2, 3]);
    expect(JSON.parse(queued.find((e) => e.event === 'status')!.data)).toMatchObject({ status: 'waiting' });

    expect(await takeNext(deps, counsellorId)).toEqual({ ok: true, conversationId });

    // Resuming after 2 sends 3 only, then a counsellor's message arrives live on the open stream.
    const live = await readStream(
      visitor,
      { 'last-event-id': '2' },
      (ev) => messageSeqs(ev).includes(4),
      async () => {
        const answer = await postMessage(deps, { conversationId, sender: 'counsellor', authorId: counsellorId, body: 'Hej! Vad vill du prata om?', clientKey: crypto.randomUUID() });
        expect(answer.ok).toBe(true);
      },
    );
    expect(messageSeqs(live)).toEqual([3, 4]);
    expect(JSON.parse(live.find((e) => e.event === 'status')!.data)).toMatchObject({ status: 'active', lines: [sv('chat.status.active')] });
    expect(JSON.parse(live.find((e) => e.id === '4')!.data)).toMatchObject({ seq: 4, sender: 'counsellor', body: 'Hej! Vad vill du prata om?' });

    // A reconnect after 4 gets nothing again; ?after= (the page's first connect) the same.
    const resumed = await readStream(visitor, { 'last-event-id': '4' }, (ev) => ev.some((e) => e.event === 'status'));
    expect(messageSeqs(resumed)).toEqual([]);
    const resumedByQuery = await app.request(`/chatt/handelser?after=3`, { headers: { cookie: cookieHeader(visitor) } });
    const text = await readFirst(resumedByQuery, 'event: status');
    expect(text).toContain('id: 4');
    expect(text).not.toContain('id: 3');

    // At most three streams per visitor: a fourth (a reconnect, another tab) ends the oldest.
    const aborts = [new AbortController(), new AbortController(), new AbortController(), new AbortController()];
    const open: Response[] = [];
    for (const a of aborts) open.push(await app.request('/chatt/handelser', { headers: { cookie: cookieHeader(visitor) }, signal: a.signal }));
    expect(open.map((r) => r.status)).toEqual([200, 200, 200, 200]);
    const oldest = await open[0].text(); // ends: evicted by the fourth
    expect(oldest).toContain('event: status');
    for (const [i, a] of aborts.entries()) {
      a.abort();
      await open[i].body?.cancel().catch(() => undefined);
    }

    // The counsellor ends it: the stream says so and ends.
    const closing = await readStream(
      visitor,
      { 'last-event-id': '4' },
      (ev) => ev.some((e) => e.event === 'status' && JSON.parse(e.data).status === 'closed'),
      async () => void (await (await import('../../lib/chat/conversations')).closeByCounsellor(deps, conversationId, counsellorId)),
    );
    expect(JSON.parse(closing.at(-1)!.data)).toMatchObject({ status: 'closed', reason: 'counsellor' });
    await setOnDuty(deps, counsellorId, false);
  });

  it('moves a waiting visitor up the queue live when someone ahead is taken', async () => {
    await openAllDay();
    await setOnDuty(deps, counsellorId, true);
    const first = await startedVisitor();
    const second = await startedVisitor();
    const before = (await queueInfo(deps, second.conversationId))!.position;
    expect(before).toBeGreaterThanOrEqual(2);
    const placeText = (position: number) => (position <= 1 ? sv('chat.status.first') : sv('chat.status.position', { position }));
    const statusLines = (events: SseEvent[]) => events.filter((e) => e.event === 'status').map((e) => JSON.parse(e.data).lines[0] as string);
    const events = await readStream(
      second.visitor,
      {},
      (ev) => statusLines(ev).includes(placeText(before - 1)),
      async () => expect((await takeNext(deps, counsellorId)).ok).toBe(true),
    );
    expect(statusLines(events)).toEqual([placeText(before), placeText(before - 1)]);
    for (const { conversationId } of [first, second]) await endByVisitor(deps, conversationId);
    await setOnDuty(deps, counsellorId, false);
  });

  it('lets only the owner download the transcript, as a text attachment', async () => {
    await saveChatSettings(stack.deps.db, { retentionMs: 0 }, null);
    await openAllDay();
    const { visitor, conversationId } = await startedVisitor();
    await postJson(visitor, 'Jag behöver prata & vet inte var jag ska börja');
    const own = await visitor.get('/chatt/utskrift.txt');
    expect(own.status).toBe(200);
    expect(own.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    expect(own.headers.get('content-disposition')).toMatch(/^attachment; filename="chatt-\d{4}-\d{2}-\d{2}\.txt"$/);
    const text = await own.text();
    expect(text).toContain(sv('chat.transcript.heading'));
    expect(text).toContain(`${sv('chat.who.visitor')}: Jag behöver prata & vet inte var jag ska börja`);

    const stranger = new WebClient(app);
    await stranger.get('/chatt');
    expect((await stranger.get('/chatt/utskrift.txt')).status).toBe(404);
    const forged = await app.request('/chatt/utskrift.txt', { headers: { cookie: cookieHeader(stranger, { komet_chat: conversationId }) } });
    expect(forged.status).toBe(404);
    await visitor.post('/chatt/avsluta', {});
  });

  it('the quick exit without script ends the chat, forgets it and leaves for a neutral site', async () => {
    await openAllDay();
    const { visitor, conversationId } = await startedVisitor();
    await postJson(visitor, 'hej');
    const exit = await visitor.post('/chatt/snabbavslut', {});
    expect(exit.status).toBe(303);
    expect(exit.headers.get('location')).toBe(NEUTRAL_URL);
    expect(visitor.cookie('komet_chat')).toBeUndefined();
    expect(visitor.cookie('komet_chat_key')).toBeUndefined();
    await eventually(async () =>
      expect(await stack.deps.db.chatConversation.findUniqueOrThrow({ where: { id: conversationId } })).toMatchObject({ status: 'closed', closedReason: 'visitor' }),
    );
    // The beacon variant answers 204 and needs the CSRF token like any form.
    const second = await startedVisitor();
    const cookiesBefore = cookieHeader(second.visitor);
    const beacon = await second.visitor.post('/chatt/snabbavslut', { beacon: '1' });
    expect(beacon.status).toBe(204);
    // Even a browser that kept its cookies (the exit's answer came too late) never sees the chat again.
    const kept = await (await app.request('/chatt', { headers: { cookie: cookiesBefore } })).text();
    expect(kept).toContain(html(sv('chat.intro.start')));
    expect(kept).not.toContain(html(sv('chat.ended.title')));
    expect(await stack.deps.db.chatConversation.findUniqueOrThrow({ where: { id: second.conversationId } })).toMatchObject({ status: 'closed', closedReason: 'visitor' });
    const noToken = await second.visitor.post('/chatt/snabbavslut', { beacon: '1' }, { csrf: false });
    expect(noToken.status).toBe(403);
  });

  it('a quick exit while Temporal does not answer still hides the chat from this browser at once', async () => {
    await openAllDay();
    const { visitor, conversationId } = await startedVisitor();
    expect((await postJson(visitor, 'Ingen annan får läsa det här')).status).toBe(200);
    const cookies = cookieHeader(visitor);
    const unreachable = { ...deps, temporal: { withDeadline: () => Promise.reject(new Error('14 UNAVAILABLE')) } as unknown as ChatDeps['temporal'] };
    await expect(quickExit(unreachable, conversationId)).rejects.toThrow('UNAVAILABLE');
    const page = await (await app.request('/chatt', { headers: { cookie: cookies } })).text();
    expect(page).toContain(html(sv('chat.intro.start')));
    expect(page).not.toContain('Ingen annan får läsa det här');
    // The end itself comes once Temporal answers.
    await quickExit(deps, conversationId);
    await eventually(async () => expect((await stack.deps.db.chatConversation.findUniqueOrThrow({ where: { id: conversationId } })).closedReason).toBe('visitor'));
  });

  it('after the end: the one-question survey stores only the answer and the date', async () => {
    await openAllDay();
    const { visitor, conversationId } = await startedVisitor();
    const confirm = await (await visitor.get('/chatt/avsluta')).text();
    expect(confirm).toContain(html(sv('chat.end.confirm')));
    expect(confirm).toContain(html(sv('chat.end.deletedWarning')));
    expect((await visitor.post('/chatt/avsluta', {})).status).toBe(303);
    await eventually(async () => expect((await stack.deps.db.chatConversation.findUniqueOrThrow({ where: { id: conversationId } })).status).toBe('closed'));
    const ended = await (await visitor.get('/chatt')).text();
    expect(ended).toContain(html(sv('chat.ended.surveyLegend')));
    expect(ended).toContain(html(sv('chat.status.closed.visitor')));

    const bad = await visitor.post('/chatt/enkat', { rating: '9', action: 'answer' });
    expect(bad.status).toBe(422);
    expect(await bad.text()).toContain(html(sv('chat.errors.rating')));
    expect(await stack.deps.db.chatSurveyAnswer.count()).toBe(0);

    const answered = await visitor.post('/chatt/enkat', { rating: '4', action: 'answer' });
    expect(answered.status).toBe(303);
    expect(answered.headers.get('location')).toBe('/chatt/tack');
    const [answer] = await stack.deps.db.chatSurveyAnswer.findMany();
    expect(Object.keys(answer).sort()).toEqual(['answeredOn', 'id', 'rating']);
    expect(answer.rating).toBe(4);
    expect(answer.answeredOn.toISOString().slice(0, 10)).toBe(stockholmDateString(new Date()));
    // Answered once: the conversation is forgotten in this browser, a second answer is not taken.
    expect((await visitor.post('/chatt/enkat', { rating: '5', action: 'answer' })).status).toBe(303);
    expect(await stack.deps.db.chatSurveyAnswer.count()).toBe(1);
  });

  it('a blocked visitor gets a calm "not available" page and cannot start again', async () => {
    await openAllDay();
    await setOnDuty(deps, counsellorId, true);
    const { visitor, conversationId } = await startedVisitor();
    expect(await takeNext(deps, counsellorId)).toEqual({ ok: true, conversationId });
    expect(await blockVisitor(deps, conversationId, counsellorId)).toEqual({ ok: true });
    const page = await visitor.get('/chatt');
    expect(page.status).toBe(403);
    expect(await page.text()).toContain(html(sv('chat.unavailable.title')));
    const before = await stack.deps.db.chatConversation.count();
    const again = await visitor.post('/chatt/starta', {});
    expect(again.status).toBe(403);
    expect(await again.text()).toContain(html(sv('chat.unavailable.text')));
    expect(await stack.deps.db.chatConversation.count()).toBe(before);
    await setOnDuty(deps, counsellorId, false);
  });
});

/** Reads a response body until `marker` appears, then cancels it. */
async function readFirst(res: Response, marker: string): Promise<string> {
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  let text = '';
  const deadline = Date.now() + 10_000;
  while (!text.includes(marker) && Date.now() < deadline) {
    const chunk = await reader.read();
    if (chunk.done) break;
    text += decoder.decode(chunk.value, { stream: true });
  }
  await reader.cancel();
  return text;
}
