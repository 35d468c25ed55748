// The chat followed against its own goals (issue 17), through the real app, workflow and database:
// after a conversation a counsellor took has closed (by them, by the visitor, by a block), the
// console asks for its anonymous outcome; the form refuses bad answers with 422 beside the fields
// and stores nothing; a double submit or a second tab records once; only the counsellor who held
// the conversation may record it; going off duty with outcomes missing shows them first; and a
// visitor who meets the closed notice is counted once per browser and day.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { saveChatSettings, WEEKDAYS, type ChatSettings } from '../../lib/chat/chatSettings';
import { endByVisitor, startConversation, type ChatDeps } from '../../lib/chat/conversations';
import { chatHub } from '../../lib/chat/hub';
import { openingState } from '../../lib/chat/openingHours';
import { addDays, stockholmDateString } from '../../lib/time';
import { DEFAULT_OUTCOME_CHOICES } from '../../prisma/referenceData';
import { DEMO_STAFF } from '../../prisma/seed';
import { stockholmHourKey } from '../../rules/chatOutcome';
import { createApp } from '../../web/app';
import { CLOSED_NOTICE_COOKIE } from '../../web/chat/routes';
import { conversationCode } from '../../web/chat-console/console';
import { eventually } from '../support/eventually';
import { startStack, type TestStack } from '../support/stack';
import { html, sv } from '../support/text';
import { WebClient } from '../support/webClient';

let stack: TestStack;
let app: ReturnType<typeof createApp>;
let deps: ChatDeps;
let maja: WebClient; // the seeded counsellor
let majaId: string;
let olle: WebClient; // a colleague

const allWeek = (ranges: ChatSettings['weekly']['mon']) => Object.fromEntries(WEEKDAYS.map((d) => [d, ranges])) as ChatSettings['weekly'];
const choice = (label: string) => DEFAULT_OUTCOME_CHOICES.find((c) => c.label === label)!.id;
const conversationOf = (id: string) => stack.deps.db.chatConversation.findUniqueOrThrow({ where: { id } });
const outcomesCounted = async () => (await stack.deps.db.chatOutcome.aggregate({ _sum: { n: true } }))._sum.n ?? 0;

async function openAllDay(): Promise<void> {
  const settings = await saveChatSettings(stack.deps.db, { weekly: allWeek([{ from: '00:00', to: '23:59' }]), exceptions: [], maxPerCounsellor: 10 }, null);
  // The one closed minute of the day (23:59–24:00 Stockholm): wait it out rather than fail.
  if (!openingState(settings).open) await new Promise((r) => setTimeout(r, 61_000));
}

beforeAll(async () => {
  stack = await startStack();
  app = createApp(stack.deps);
  deps = { ...stack.deps, hub: chatHub };
  await openAllDay();
  majaId = (await stack.deps.db.person.findUniqueOrThrow({ where: { email: DEMO_STAFF.counsellor } })).id;
  const colleague = await stack.deps.db.person.create({ data: { email: 'olle.utfall@komet.example', name: 'Olle Kollega' } });
  await stack.deps.db.roleGrant.create({ data: { personId: colleague.id, role: 'counsellor' } });
  maja = new WebClient(app);
  olle = new WebClient(app);
  await maja.login(stack.deps.db, DEMO_STAFF.counsellor);
  await olle.login(stack.deps.db, 'olle.utfall@komet.example');
  expect((await maja.post('/radgivare/tjanst', { onDuty: '1' })).headers.get('location')).toBe('/radgivare?klart=on');
});
afterAll(async () => stack?.stop());

/** A visitor Maja has taken (the queue is oldest first: she takes until it is hers). */
async function takenByMaja(): Promise<string> {
  const started = await startConversation(deps, randomUUID());
  if (!started.ok) throw new Error(`chat refused: ${started.code}`);
  await eventually(async () => {
    await maja.post('/radgivare/ta-nasta', {});
    expect((await conversationOf(started.conversationId)).counsellorId).toBe(majaId);
  });
  return started.conversationId;
}

async function closedByMaja(): Promise<string> {
  const id = await takenByMaja();
  const closed = await maja.post(`/radgivare/samtal/${id}/avsluta`, { confirm: 'yes' });
  expect(closed.headers.get('location')).toBe(`/radgivare/samtal/${id}/utfall?klart=closed`);
  await eventually(async () => expect((await conversationOf(id)).status).toBe('closed'));
  return id;
}

const answers = { topic: choice('Familj'), ageBand: choice('13–15'), result: choice('Råd och stöd gavs') };

describe('the outcome of a closed conversation', () => {
  it('is asked for after the counsellor closes a conversation, after the visitor ends one, and never for one nobody took', async () => {
    const byMaja = await closedByMaja();
    const form = await maja.get(`/radgivare/samtal/${byMaja}/utfall?klart=closed`);
    expect(form.status).toBe(200);
    const page = await form.text();
    expect(page).toContain(html(sv('chatConsole.outcome.flash.closed')));
    expect(page).toContain(html(sv('chatConsole.outcome.topic')));
    for (const label of ['Familj', 'Alkohol och droger', 'Under 13', 'Över 25', 'Råd och stöd gavs', 'Hänvisad till annan verksamhet', 'Ingen vidare åtgärd']) expect(page).toContain(`>${label}</label>`);
    // No age band said is an answer of its own, chosen from the start.
    expect(page).toMatch(new RegExp(`name="ageBand" value="" checked[^>]*> <label [^>]*>${sv('chatConsole.outcome.ageBandNotSaid')}</label>`));

    const byVisitor = await takenByMaja();
    await endByVisitor(deps, byVisitor);
    const abandoned = await startConversation(deps, randomUUID());
    if (!abandoned.ok) throw new Error('chat refused');
    await endByVisitor(deps, abandoned.conversationId);

    // The console's live panel lists both, the conversation page asks below the transcript.
    const panel = await (await maja.get('/radgivare/panel', { 'hx-request': 'true' })).text();
    expect(panel).toContain(sv('chatConsole.outcomes.panelTitle', { n: 2 }));
    expect(panel).toContain(`href="/radgivare/samtal/${byVisitor}/utfall"`);
    expect(await (await maja.get(`/radgivare/samtal/${byVisitor}`)).text()).toContain(`action="/radgivare/samtal/${byVisitor}/utfall"`);
    const list = await (await maja.get('/radgivare/utfall')).text();
    for (const id of [byMaja, byVisitor]) expect(list).toContain(`href="/radgivare/samtal/${id}/utfall"`);
    expect(list).not.toContain(abandoned.conversationId);
    expect(list).toContain(html(sv('chatConsole.status.closedBy.visitor')));
  });

  it('refuses missing or foreign answers with 422 beside the fields and stores nothing', async () => {
    const [id] = (await stack.deps.db.chatConversation.findMany({ where: { counsellorId: majaId, status: 'closed', outcomeRecordedAt: null }, orderBy: { closedAt: 'asc' } })).map((c) => c.id);
    const empty = await maja.post(`/radgivare/samtal/${id}/utfall`, { topic: '', ageBand: '', result: '' });
    expect(empty.status).toBe(422);
    const page = await empty.text();
    expect(page).toMatch(new RegExp(`id="f-topic-error"><span class="visually-hidden">[^<]*</span>${html(sv('chatConsole.outcome.errors.topic'))}`));
    expect(page).toMatch(new RegExp(`id="f-result-error"><span class="visually-hidden">[^<]*</span>${html(sv('chatConsole.outcome.errors.result'))}`));
    expect(page).toContain('href="#f-topic"'); // the error summary leads to the question

    // An age band that is no choice, a result given as topic, a choice that is not there.
    const badAge = await maja.post(`/radgivare/samtal/${id}/utfall`, { ...answers, ageBand: 'femton' });
    expect(badAge.status).toBe(422);
    expect(await badAge.text()).toContain(html(sv('chatConsole.outcome.errors.ageBand')));
    const crossed = await maja.post(`/radgivare/samtal/${id}/utfall`, { ...answers, topic: answers.result });
    expect(crossed.status).toBe(422);
    expect(await crossed.text()).toMatch(new RegExp(`id="f-topic-error">[^]*?${html(sv('chatConsole.outcome.errors.gone'))}`));
    expect((await maja.post(`/radgivare/samtal/${id}/utfall`, { ...answers, result: randomUUID() })).status).toBe(422);
    // htmx swaps only 2xx answers: it gets the form with its messages as 200.
    const upgraded = await maja.send(`/radgivare/samtal/${id}/utfall`, {
      method: 'POST',
      body: new URLSearchParams({ _csrf: maja.cookie('komet_csrf')!, topic: '', ageBand: '', result: answers.result }),
      headers: { 'hx-request': 'true', origin: 'http://localhost', 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(upgraded.status).toBe(200);
    expect(await upgraded.text()).toContain(html(sv('chatConsole.outcome.errors.topic')));

    expect(await outcomesCounted()).toBe(0);
    expect((await conversationOf(id)).outcomeRecordedAt).toBeNull();
  });

  it('records once under the hour the conversation started: a double submit and a second tab count one', async () => {
    const [id] = (await stack.deps.db.chatConversation.findMany({ where: { counsellorId: majaId, status: 'closed', outcomeRecordedAt: null }, orderBy: { closedAt: 'asc' } })).map((c) => c.id);
    const sent = await Promise.all([1, 2].map(() => maja.post(`/radgivare/samtal/${id}/utfall`, answers)));
    expect(sent.map((r) => r.status)).toEqual([303, 303]);
    expect(sent.map((r) => r.headers.get('location')).sort()).toEqual(['/radgivare/utfall?klart=already', '/radgivare/utfall?klart=saved']);
    const again = await maja.post(`/radgivare/samtal/${id}/utfall`, { ...answers, result: choice('Ingen vidare åtgärd') });
    expect(again.headers.get('location')).toBe('/radgivare/utfall?klart=already');
    expect(await (await maja.get('/radgivare/utfall?klart=already')).text()).toContain(html(sv('chatConsole.outcomes.flash.already')));

    const conversation = await conversationOf(id);
    expect(conversation.outcomeRecordedAt).not.toBeNull();
    const rows = await stack.deps.db.chatOutcome.findMany();
    expect(rows).toHaveLength(1);
    const { day, hour } = stockholmHourKey(conversation.createdAt);
    expect(rows[0]).toMatchObject({ hour, topicId: answers.topic, ageBandId: answers.ageBand, resultId: answers.result, n: 1 });
    expect(rows[0].day.toISOString().slice(0, 10)).toBe(day);
    // Recorded: the form is not offered again, on its page or below the conversation.
    const form = await (await maja.get(`/radgivare/samtal/${id}/utfall`)).text();
    expect(form).toContain(html(sv('chatConsole.outcome.recorded')));
    expect(form).not.toContain('name="topic"');
    expect(await (await maja.get(`/radgivare/samtal/${id}`)).text()).not.toContain('id="outcome-form"');

    // The next one through htmx, without an age band: the same key adds up, "Ej angett" is null.
    const [next] = (await stack.deps.db.chatConversation.findMany({ where: { counsellorId: majaId, status: 'closed', outcomeRecordedAt: null } })).map((c) => c.id);
    const upgraded = await maja.send(`/radgivare/samtal/${next}/utfall`, {
      method: 'POST',
      body: new URLSearchParams({ _csrf: maja.cookie('komet_csrf')!, ...answers, ageBand: '' }),
      headers: { 'hx-request': 'true', origin: 'http://localhost', 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(upgraded.status).toBe(204);
    expect(upgraded.headers.get('hx-redirect')).toBe('/radgivare/utfall?klart=saved');
    expect(await stack.deps.db.chatOutcome.count({ where: { ageBandId: null, n: 1 } })).toBe(1);
    expect(await outcomesCounted()).toBe(2);
    expect(await (await maja.get('/radgivare/utfall')).text()).toContain(html(sv('chatConsole.outcomes.none')));
  });

  it('is recorded only by the counsellor who held the conversation', async () => {
    const id = await closedByMaja();
    expect((await olle.get(`/radgivare/samtal/${id}/utfall`)).status).toBe(404);
    expect((await olle.post(`/radgivare/samtal/${id}/utfall`, answers)).status).toBe(404);
    const admin = await WebClient.loggedIn(app, stack.deps.db, DEMO_STAFF.admin);
    expect((await admin.post(`/radgivare/samtal/${id}/utfall`, answers)).status).toBe(403);
    expect(await (await olle.get('/radgivare/utfall')).text()).not.toContain(id);
    expect((await conversationOf(id)).outcomeRecordedAt).toBeNull();
    expect(await outcomesCounted()).toBe(2);
    // A conversation still going on records nothing either.
    const running = await takenByMaja();
    const early = await maja.post(`/radgivare/samtal/${running}/utfall`, answers);
    expect(early.status).toBe(409);
    expect(await early.text()).toContain(html(sv('chatConsole.outcome.notClosed')));
    expect(await outcomesCounted()).toBe(2);
    await maja.post(`/radgivare/samtal/${running}/avsluta`, { confirm: 'yes' });
  });

  it('reminds the counsellor going off duty of the outcomes missing, and lets them go anyway', async () => {
    const missing = await stack.deps.db.chatConversation.findMany({ where: { counsellorId: majaId, status: 'closed', outcomeRecordedAt: null } });
    expect(missing.length).toBe(2);
    const reminder = await maja.post('/radgivare/tjanst', { onDuty: '0' });
    expect(reminder.status).toBe(200);
    const page = await reminder.text();
    expect(page).toContain(html(sv('chatConsole.outcomes.reminder.other', { count: 2 })));
    for (const m of missing) {
      expect(page).toContain(`href="/radgivare/samtal/${m.id}/utfall"`);
      expect(page).toContain(html(sv('chatConsole.outcomes.recordLabel', { code: conversationCode(m.id) })));
    }
    expect(page).toMatch(new RegExp(`name="confirm" value="yes">[^]*${sv('chatConsole.outcomes.goOffAnyway')}`));
    expect(await stack.deps.db.chatDuty.findUnique({ where: { personId: majaId } })).not.toBeNull();

    const anyway = await maja.post('/radgivare/tjanst', { onDuty: '0', confirm: 'yes' });
    expect(anyway.headers.get('location')).toBe('/radgivare?klart=off');
    expect(await stack.deps.db.chatDuty.findUnique({ where: { personId: majaId } })).toBeNull();

    // With every outcome recorded, off duty is off duty.
    await maja.post('/radgivare/tjanst', { onDuty: '1' });
    for (const m of missing) expect((await maja.post(`/radgivare/samtal/${m.id}/utfall`, answers)).status).toBe(303);
    expect((await maja.post('/radgivare/tjanst', { onDuty: '0' })).headers.get('location')).toBe('/radgivare?klart=off');
    expect(await outcomesCounted()).toBe(4);
  });
});

describe('the closed notice', () => {
  const closedNotices = async () => (await stack.deps.db.chatTally.aggregate({ where: { kind: 'closedNotice' }, _sum: { n: true } }))._sum.n ?? 0;

  it('counts a browser once a day, whatever it reloads, keeping nothing but the day', async () => {
    await saveChatSettings(stack.deps.db, { weekly: allWeek([]), exceptions: [] }, null);
    const conversations = await stack.deps.db.chatConversation.count();
    const first = new WebClient(app);
    for (let i = 0; i < 3; i++) {
      const res = await first.get('/chatt');
      expect(res.status).toBe(200);
      expect(await res.text()).toContain(html(sv('chat.closed.title')));
    }
    const refused = await first.post('/chatt/starta', {}); // refused while closed: the notice again
    expect(await refused.text()).toContain(html(sv('chat.closed.title')));
    expect(await closedNotices()).toBe(1);
    const today = stockholmDateString(new Date());
    expect(first.cookie(CLOSED_NOTICE_COOKIE)).toBe(today);

    await new WebClient(app).get('/chatt');
    expect(await closedNotices()).toBe(2);
    const rows = await stack.deps.db.chatTally.findMany({ where: { kind: 'closedNotice' } });
    expect(rows.map((r) => r.waitSeconds)).toEqual(rows.map(() => null));
    expect(await stack.deps.db.chatConversation.count()).toBe(conversations);

    // Yesterday's mark (the browser kept it past midnight) counts anew; a forged value too, once.
    const yesterday = new WebClient(app);
    await yesterday.send('/chatt', { headers: { cookie: `${CLOSED_NOTICE_COOKIE}=${addDays(today, -1)}` } });
    expect(await closedNotices()).toBe(3);
    expect(yesterday.cookie(CLOSED_NOTICE_COOKIE)).toBe(today);
    await yesterday.get('/chatt');
    expect(await closedNotices()).toBe(3);

    // An open chat counts nobody.
    await openAllDay();
    await new WebClient(app).get('/chatt');
    expect(await closedNotices()).toBe(3);
  });
});
