// The counsellor's console (R10.3, R10.4) through the real app, workflow and database: counsellors
// only; duty; the queue and "take next" with its clear refusals; several conversations at once;
// messages sent once per client key and shown as text; the live stream resuming after
// Last-Event-ID; hand-over to an on-duty colleague; close and block behind a confirmation;
// guidelines and prepared texts beside the chat; a report of concern that holds only what the
// counsellor wrote; and nobody but the assigned counsellor sees a conversation.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { saveChatSettings, WEEKDAYS, type ChatSettings } from '../../lib/chat/chatSettings';
import { postMessage, startConversation, type ChatDeps } from '../../lib/chat/conversations';
import { insertMessage } from '../../lib/chat/chatStore';
import { chatHub } from '../../lib/chat/hub';
import { openingState } from '../../lib/chat/openingHours';
import { sha256 } from '../../lib/crypto';
import { DEMO_STAFF } from '../../prisma/seed';
import { createApp } from '../../web/app';
import { eventually } from '../support/eventually';
import { startStack, type TestStack } from '../support/stack';
import { sseFrames, type SseEvent } from '../support/sseFrames';
import { html, sv } from '../support/text';
import { ORIGIN, WebClient } from '../support/webClient';

let stack: TestStack;
let app: ReturnType<typeof createApp>;
let deps: ChatDeps;
let maja: WebClient; // the seeded counsellor
let majaId: string;
let olle: WebClient; // a colleague
let olleId: string;

const allWeek = (ranges: ChatSettings['weekly']['mon']) => Object.fromEntries(WEEKDAYS.map((d) => [d, ranges])) as ChatSettings['weekly'];

beforeAll(async () => {
  stack = await startStack();
  app = createApp(stack.deps);
  deps = { ...stack.deps, hub: chatHub };
  const settings = await saveChatSettings(stack.deps.db, { weekly: allWeek([{ from: '00:00', to: '23:59' }]), exceptions: [], maxPerCounsellor: 2 }, null);
  // The one closed minute of the day (23:59–24:00 Stockholm): wait it out rather than fail.
  if (!openingState(settings).open) await new Promise((r) => setTimeout(r, 61_000));
  majaId = (await stack.deps.db.person.findUniqueOrThrow({ where: { email: DEMO_STAFF.counsellor } })).id;
  const colleague = await stack.deps.db.person.create({ data: { email: 'olle.radgivare@komet.example', name: 'Olle Kollega' } });
  olleId = colleague.id;
  await stack.deps.db.roleGrant.create({ data: { personId: olleId, role: 'counsellor' } });
  maja = new WebClient(app);
  olle = new WebClient(app);
  const landed = await maja.login(stack.deps.db, DEMO_STAFF.counsellor);
  expect(landed.headers.get('location')).toBe('/radgivare');
  await olle.login(stack.deps.db, 'olle.radgivare@komet.example');
});
afterAll(async () => stack?.stop());

async function newVisitor(): Promise<{ key: string; conversationId: string }> {
  const key = randomUUID();
  const started = await startConversation(deps, key);
  if (!started.ok) throw new Error(`chat refused: ${started.code}`);
  return { key, conversationId: started.conversationId };
}

/** Posts as the console's script does (JSON answer). */
function postJson(client: WebClient, path: string, form: Record<string, string>) {
  return app.request(path, {
    method: 'POST',
    body: new URLSearchParams({ _csrf: client.cookie('komet_csrf')!, ...form }),
    headers: {
      cookie: ['komet_csrf', 'komet_session'].map((n) => `${n}=${client.cookie(n)}`).join('; '),
      origin: ORIGIN,
      accept: 'application/json',
      'content-type': 'application/x-www-form-urlencoded',
    },
  });
}


/** Opens an event stream and reads until `enough` (or the time is up), running `during` once it is open. */
async function readStream(client: WebClient, path: string, headers: Record<string, string>, enough: (e: SseEvent[]) => boolean, during?: () => Promise<unknown>): Promise<SseEvent[]> {
  const res = await app.request(path, { headers: { cookie: ['komet_csrf', 'komet_session'].map((n) => `${n}=${client.cookie(n)}`).join('; '), ...headers } });
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toContain('text/event-stream');
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  const events: SseEvent[] = [];
  const feed = sseFrames((e) => events.push(e));
  const deadline = Date.now() + 15_000;
  const pending = during ? setTimeout(() => void during(), 300) : null;
  try {
    while (!enough(events) && Date.now() < deadline) {
      const chunk = await Promise.race([reader.read(), new Promise<null>((r) => setTimeout(() => r(null), Math.max(1, deadline - Date.now())))]);
      if (!chunk || chunk.done) break;
      feed(decoder.decode(chunk.value, { stream: true }));
    }
  } finally {
    if (pending) clearTimeout(pending);
    await reader.cancel().catch(() => undefined);
  }
  return events;
}

const conversationOf = (id: string) => stack.deps.db.chatConversation.findUniqueOrThrow({ where: { id } });

describe("counsellor's console", () => {
  it('is for counsellors only', async () => {
    const admin = await WebClient.loggedIn(app, stack.deps.db, DEMO_STAFF.admin);
    expect((await admin.get('/radgivare')).status).toBe(403);
    expect((await admin.post('/radgivare/tjanst', { onDuty: '1' })).status).toBe(403);
    const parent = await WebClient.loggedIn(app, stack.deps.db, `p-${randomUUID().slice(0, 8)}@example.org`);
    expect((await parent.get('/radgivare/orosanmalan')).status).toBe(403);
    expect((await new WebClient(app).get('/radgivare')).status).toBe(303); // to the login
    expect(await stack.deps.db.chatDuty.count()).toBe(0);
  });

  it('goes on and off duty; take next explains why there is nobody to take', async () => {
    const offDuty = await maja.post('/radgivare/ta-nasta', {});
    expect(offDuty.headers.get('location')).toBe('/radgivare?fel=not-on-duty');
    expect(await (await maja.get(offDuty.headers.get('location')!)).text()).toContain('Du behöver gå i tjänst först.');

    expect((await maja.post('/radgivare/tjanst', { onDuty: '1' })).headers.get('location')).toBe('/radgivare?klart=on');
    expect(await stack.deps.db.chatDuty.findUnique({ where: { personId: majaId } })).not.toBeNull();
    const home = await (await maja.get('/radgivare')).text();
    expect(home).toContain('Gå ur tjänst');
    expect(home).toContain('Ingen väntar just nu.');

    const empty = await maja.post('/radgivare/ta-nasta', {});
    expect(empty.headers.get('location')).toBe('/radgivare?fel=empty');
    expect(await (await maja.get('/radgivare?fel=empty')).text()).toContain('Ingen väntar i kön just nu.');

    await maja.post('/radgivare/tjanst', { onDuty: '0' });
    expect(await stack.deps.db.chatDuty.findUnique({ where: { personId: majaId } })).toBeNull();
    expect(await (await maja.get('/radgivare')).text()).toContain('Gå i tjänst');
  });

  it('shows the queue, takes visitors in order, holds two at once and refuses a third', async () => {
    await maja.post('/radgivare/tjanst', { onDuty: '1' });
    const first = await newVisitor();
    const second = await newVisitor();
    const third = await newVisitor();
    const panel = await (await maja.get('/radgivare/panel', { 'hx-request': 'true' })).text();
    expect(panel).toContain('3 väntar.');
    expect(panel).toContain('Längst väntetid: 0 min.');
    expect(panel).not.toContain('<html');

    const took1 = await maja.post('/radgivare/ta-nasta', {});
    expect(took1.headers.get('location')).toBe(`/radgivare/samtal/${first.conversationId}`);
    const took2 = await maja.post('/radgivare/ta-nasta', {});
    expect(took2.headers.get('location')).toBe(`/radgivare/samtal/${second.conversationId}`);
    expect((await maja.post('/radgivare/ta-nasta', {})).headers.get('location')).toBe('/radgivare?fel=at-capacity');
    expect((await conversationOf(third.conversationId)).status).toBe('waiting');

    const home = await (await maja.get('/radgivare')).text();
    expect(home).toContain('Mina samtal (2 av 2)');
    expect(home).toContain(`href="/radgivare/samtal/${first.conversationId}"`);
    expect(home).toContain(`href="/radgivare/samtal/${second.conversationId}"`);
    expect(home).toContain('1 väntar.');

    // Both conversations live side by side: messages go to the right one.
    await postMessage(deps, { conversationId: first.conversationId, sender: 'visitor', body: 'Hej från den första', clientKey: randomUUID() });
    await postMessage(deps, { conversationId: second.conversationId, sender: 'visitor', body: 'Hej från den andra', clientKey: randomUUID() });
    const page1 = await (await maja.get(`/radgivare/samtal/${first.conversationId}`)).text();
    expect(page1).toContain('Hej från den första');
    expect(page1).not.toContain('Hej från den andra');
    expect(page1).toContain(`href="/radgivare/samtal/${first.conversationId}" aria-current="page"`);
    expect(page1).toContain('Väntar på svar');
  });

  it('shows the guidelines and prepared texts beside the chat; sends once per client key; shows stored HTML only as text', async () => {
    const id = (await stack.deps.db.chatConversation.findFirstOrThrow({ where: { counsellorId: majaId, status: 'active' }, orderBy: { assignedAt: 'asc' } })).id;
    // Markup is refused on the way in; a row that holds some anyway (stored before that rule) is still only text.
    expect(await postMessage(deps, { conversationId: id, sender: 'visitor', body: '<b>fet</b>', clientKey: randomUUID() })).toEqual({ ok: false, code: 'markup' });
    await insertMessage(stack.deps.db, { conversationId: id, sender: 'visitor', authorId: null, body: '<script>alert("x")</script><b>fet</b>', clientKey: null });
    const page = await (await maja.get(`/radgivare/samtal/${id}`)).text();
    expect(page).toContain('Riktlinjer för ton och språk');
    expect(page).toContain('Be inte om namn eller personnummer.');
    expect(page).toContain('Färdiga texter');
    expect(page).toContain('data-body="Om du är i fara just nu: ring 112.');
    expect(page).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&lt;b&gt;fet&lt;/b&gt;');
    expect(page).not.toContain('<script>alert');
    expect(page).not.toContain('<b>fet');
    expect(page).toContain('<script src="/assets/chatConsole.js" defer></script>');
    // Without the script, a prepared text fills the reply box through the page itself.
    expect(await (await maja.get(`/radgivare/samtal/${id}?text=0`)).text()).toContain('Hej! Du chattar med socialtjänsten i Stockholms stad.');

    const clientKey = randomUUID();
    const sent = await postJson(maja, `/radgivare/samtal/${id}/meddelanden`, { body: '  Hej, jag heter Maja.  ', clientKey });
    expect(sent.status).toBe(201);
    const answer = (await sent.json()) as { ok: boolean; message: { seq: number; sender: string; mine: boolean; body: string } };
    expect(answer.message).toMatchObject({ sender: 'counsellor', mine: true, body: 'Hej, jag heter Maja.' });
    const again = await postJson(maja, `/radgivare/samtal/${id}/meddelanden`, { body: 'Hej, jag heter Maja.', clientKey });
    expect(((await again.json()) as typeof answer).message.seq).toBe(answer.message.seq);
    const rows = await stack.deps.db.chatMessage.findMany({ where: { conversationId: id, clientKey } });
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ sender: 'counsellor', authorId: majaId });

    const empty = await postJson(maja, `/radgivare/samtal/${id}/meddelanden`, { body: '   ', clientKey: randomUUID() });
    expect(empty.status).toBe(422);
    expect(await empty.json()).toEqual({ ok: false, error: 'Skriv ett meddelande.' });
    const tooLong = await maja.post(`/radgivare/samtal/${id}/meddelanden`, { body: 'x'.repeat(2001), clientKey: randomUUID() });
    expect(tooLong.status).toBe(422);
    expect(await tooLong.text()).toContain('Meddelandet får vara högst 2000 tecken.');
    const markup = await maja.post(`/radgivare/samtal/${id}/meddelanden`, { body: '<script>alert(1)</script>', clientKey: randomUUID() });
    expect(markup.status).toBe(422);
    expect(await markup.text()).toContain(html(sv('chatConsole.errors.markup')));
    const markupJson = await postJson(maja, `/radgivare/samtal/${id}/meddelanden`, { body: 'Se <a href="x">här</a>', clientKey: randomUUID() });
    expect(markupJson.status).toBe(422);
    expect(await markupJson.json()).toEqual({ ok: false, error: sv('chatConsole.errors.markup') });
    const plain = await maja.post(`/radgivare/samtal/${id}/meddelanden`, { body: 'Utan skript', clientKey: randomUUID() });
    expect(plain.status).toBe(303);
    expect(await stack.deps.db.chatMessage.count({ where: { conversationId: id, body: { in: ['   ', 'x'.repeat(2001), '<script>alert(1)</script>', 'Se <a href="x">här</a>'] } } })).toBe(0);
  });

  it('streams the conversation live and resumes after Last-Event-ID without gaps or repeats', async () => {
    const id = (await stack.deps.db.chatConversation.findFirstOrThrow({ where: { counsellorId: majaId, status: 'active' }, orderBy: { assignedAt: 'asc' } })).id;
    const before = await stack.deps.db.chatMessage.findMany({ where: { conversationId: id }, orderBy: { seq: 'asc' } });
    expect(before.length).toBeGreaterThanOrEqual(3);
    const resumeAfter = before[1].seq;
    const events = await readStream(
      maja,
      `/radgivare/samtal/${id}/handelser?after=0`,
      { 'last-event-id': String(resumeAfter) },
      (e) => e.some((x) => x.event === 'message' && JSON.parse(x.data).body === 'Är du kvar?'),
      () => postMessage(deps, { conversationId: id, sender: 'visitor', body: 'Är du kvar?', clientKey: randomUUID() }),
    );
    const messages = events.filter((e) => e.event === 'message');
    const seqs = messages.map((e) => Number(e.id));
    const expected = before.filter((m) => m.seq > resumeAfter).map((m) => m.seq);
    expect(seqs.slice(0, expected.length)).toEqual(expected);
    expect(new Set(seqs).size).toBe(seqs.length);
    expect(seqs.at(-1)).toBe(Math.max(...before.map((m) => m.seq)) + 1);
    const script = messages.map((e) => JSON.parse(e.data)).find((m) => m.body.includes('<script>'));
    if (script) expect(script).toMatchObject({ sender: 'visitor', mine: false }); // text in JSON; the page's script sets textContent

    // The console's own stream says when the queue changes.
    const changed = await readStream(maja, '/radgivare/handelser', {}, (e) => e.some((x) => x.event === 'changed'), () => newVisitor());
    expect(JSON.parse(changed.find((e) => e.event === 'changed')!.data).queue).toBeGreaterThanOrEqual(2);
  });

  it('hands a conversation over to an on-duty colleague after confirmation; only the assigned counsellor sees it', async () => {
    const id = (await stack.deps.db.chatConversation.findFirstOrThrow({ where: { counsellorId: majaId, status: 'active' }, orderBy: { assignedAt: 'asc' } })).id;
    // Another counsellor sees nothing of it.
    expect((await olle.get(`/radgivare/samtal/${id}`)).status).toBe(404);
    expect((await olle.get(`/radgivare/samtal/${id}/handelser`)).status).toBe(404);
    expect((await olle.post(`/radgivare/samtal/${id}/meddelanden`, { body: 'Hej', clientKey: randomUUID() })).status).toBe(404);
    expect((await olle.post(`/radgivare/samtal/${id}/avsluta`, { confirm: 'yes' })).status).toBe(404);
    expect((await olle.get('/radgivare/samtal/not-a-uuid')).status).toBe(404);

    // Olle is not on duty yet: he is not offered, and choosing him anyway is refused beside the field.
    expect(await (await maja.get(`/radgivare/samtal/${id}`)).text()).toContain('Ingen kollega är i tjänst just nu');
    const notOnDuty = await maja.post(`/radgivare/samtal/${id}/overlamna`, { to: olleId, confirm: 'yes' });
    expect(notOnDuty.status).toBe(422);
    expect(await notOnDuty.text()).toContain('Välj en kollega som är i tjänst.');

    await olle.post('/radgivare/tjanst', { onDuty: '1' });
    const page = await (await maja.get(`/radgivare/samtal/${id}`)).text();
    expect(page).toContain(`<option value="${olleId}" >Olle Kollega</option>`);
    const asked = await maja.post(`/radgivare/samtal/${id}/overlamna`, { to: olleId });
    expect(asked.status).toBe(200);
    expect(await asked.text()).toContain('Lämna över samtal');
    expect((await conversationOf(id)).counsellorId).toBe(majaId);

    const stream = readStream(maja, `/radgivare/samtal/${id}/handelser`, {}, (e) => e.some((x) => x.event === 'status'));
    const done = await maja.post(`/radgivare/samtal/${id}/overlamna`, { to: olleId, confirm: 'yes' });
    expect(done.headers.get('location')).toBe('/radgivare?klart=handedOver');
    expect((await conversationOf(id)).counsellorId).toBe(olleId);
    const status = (await stream).find((e) => e.event === 'status');
    expect(JSON.parse(status!.data)).toEqual({ status: 'moved' });
    expect((await maja.get(`/radgivare/samtal/${id}`)).status).toBe(404);
    const olles = await olle.get(`/radgivare/samtal/${id}`);
    expect(olles.status).toBe(200);
    expect(await olles.text()).toContain('Hej, jag heter Maja.'); // the whole conversation moves along
  });

  it('closes and blocks only after confirmation; a block keeps that browser out for a day', async () => {
    await saveChatSettings(stack.deps.db, { maxPerCounsellor: 10 }, null);
    const [toClose] = await stack.deps.db.chatConversation.findMany({ where: { counsellorId: majaId, status: 'active' } });
    const asked = await maja.post(`/radgivare/samtal/${toClose.id}/avsluta`, {});
    expect(asked.status).toBe(200);
    expect((await conversationOf(toClose.id)).status).toBe('active');
    // Closed, the console goes straight on to the conversation's outcome (issue 17).
    expect((await maja.post(`/radgivare/samtal/${toClose.id}/avsluta`, { confirm: 'yes' })).headers.get('location')).toBe(`/radgivare/samtal/${toClose.id}/utfall?klart=closed`);
    await eventually(async () => expect((await conversationOf(toClose.id)).status).toBe('closed'));

    const abusive = await newVisitor();
    // The queue is oldest first: take until this visitor is Maja's.
    await eventually(async () => {
      await maja.post('/radgivare/ta-nasta', {});
      expect((await conversationOf(abusive.conversationId)).counsellorId).toBe(majaId);
    });
    const explained = await maja.post(`/radgivare/samtal/${abusive.conversationId}/blockera`, {});
    expect(await explained.text()).toContain('kan inte starta en ny chatt på 24 timmar');
    expect(await stack.deps.db.chatBlock.count()).toBe(0);
    expect((await maja.post(`/radgivare/samtal/${abusive.conversationId}/blockera`, { confirm: 'yes' })).headers.get('location')).toBe(`/radgivare/samtal/${abusive.conversationId}/utfall?klart=blocked`);
    const block = await stack.deps.db.chatBlock.findUniqueOrThrow({ where: { visitorKeyHash: sha256(abusive.key) } });
    expect(block.expiresAt.getTime() - Date.now()).toBeGreaterThan(23 * 3600_000);
    await eventually(async () => expect(await conversationOf(abusive.conversationId)).toMatchObject({ status: 'closed', closedReason: 'blocked' }));
    expect(await startConversation(deps, abusive.key)).toEqual({ ok: false, code: 'blocked' });
  });

  it('opens a report of concern that holds only what the counsellor wrote, never the transcript', async () => {
    const form = await (await maja.get('/radgivare/orosanmalan')).text();
    expect(form).toContain('Chattens text bifogas inte, och du ska inte klistra in den.');
    expect(form).toContain('Du har inte gjort någon orosanmälan.');

    const short = await maja.post('/radgivare/orosanmalan', { body: 'För kort' });
    expect(short.status).toBe(422);
    expect(await short.text()).toMatch(/id="f-body-error"[^]*Beskriv oron med minst 10 tecken\./);
    expect((await maja.post('/radgivare/orosanmalan', { body: 'x'.repeat(5001) })).status).toBe(422);
    expect(await stack.deps.db.concernReport.count()).toBe(0);

    const text = 'Ett barn i årskurs fyra berättar att det ofta är ensamt hemma på nätterna.\nStadsdel okänd.';
    const created = await maja.post('/radgivare/orosanmalan', { body: `  ${text}\r\n` });
    expect(created.status).toBe(303);
    const caseNumber = /KOM-\d{4}-\d{6}/.exec(created.headers.get('location')!)![0];
    const row = await stack.deps.db.concernReport.findUniqueOrThrow({ where: { caseNumber } });
    expect(row).toMatchObject({ body: text, createdById: majaId });
    const transcript = await stack.deps.db.chatMessage.findMany({ where: { conversation: { counsellorId: { in: [majaId, olleId] } } } });
    expect(transcript.length).toBeGreaterThan(0);
    for (const m of transcript) expect(row.body).not.toContain(m.body);

    const page = await (await maja.get(created.headers.get('location')!)).text();
    expect(page).toContain('Orosanmälan är registrerad.');
    expect(page).toContain(`<th scope="row"><a href="/radgivare/orosanmalningar/${caseNumber}">${caseNumber}</a></th>`);
    // Someone else's case number in the address shows nothing.
    expect(await (await olle.get(`/radgivare/orosanmalan?skapad=${caseNumber}`)).text()).not.toContain(caseNumber);

    // The same form sent twice (a double click) makes one report, with one case number.
    const formKey = /name="formKey" value="([0-9a-f-]{36})"/.exec(page)![1];
    const twice = await Promise.all([1, 2].map(() => maja.post('/radgivare/orosanmalan', { body: 'Samma anmälan skickad två gånger i rad.', formKey })));
    expect(twice.map((r) => r.status)).toEqual([303, 303]);
    expect(twice[0].headers.get('location')).toBe(twice[1].headers.get('location'));
    expect(await stack.deps.db.concernReport.count({ where: { body: 'Samma anmälan skickad två gånger i rad.' } })).toBe(1);
  });

  it('renders in English', async () => {
    const page = await (await maja.get('/radgivare?lang=en')).text();
    expect(page).toContain('Chat console');
    expect(page).toContain('Take next');
    await maja.get('/radgivare?lang=sv');
  });
});
