// The admin's chat settings (R10.2–R10.4): opening hours, exceptions, rules, guidelines and prepared
// texts are validated with the settings' schema, bad input re-renders with 422 beside the field and
// stores nothing, removals ask first, and only admins get in.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_CHAT_SETTINGS, loadChatSettings } from '../../lib/chat/chatSettings';
import { DEMO_STAFF } from '../../prisma/seed';
import { createApp } from '../../web/app';
import { startStack, type TestStack } from '../support/stack';
import { WebClient } from '../support/webClient';

let stack: TestStack;
let app: ReturnType<typeof createApp>;
let admin: WebClient;
const PAGE = '/personal/admin/chatt';

const emptyWeek = () =>
  Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].flatMap((d) => [0, 1].flatMap((i) => [[`${d}-${i}-from`, ''], [`${d}-${i}-to`, '']]))) as Record<string, string>;
const stored = () => loadChatSettings(stack.deps.db);

beforeAll(async () => {
  stack = await startStack();
  app = createApp(stack.deps);
  admin = await WebClient.loggedIn(app, stack.deps.db, DEMO_STAFF.admin);
});
afterAll(async () => stack?.stop());

describe('chat settings', () => {
  it('is for admins only, linked from the desk, and shows the counsellors with their duty', async () => {
    const counsellor = await WebClient.loggedIn(app, stack.deps.db, DEMO_STAFF.counsellor);
    expect((await counsellor.get(PAGE)).status).toBe(403);
    expect((await counsellor.post(`${PAGE}/riktlinjer`, { guidelines: 'Hej' })).status).toBe(403);
    expect((await new WebClient(app).get(PAGE)).status).toBe(303); // to the login

    expect(await (await admin.get('/personal/admin')).text()).toContain(`href="${PAGE}"`);
    const person = await stack.deps.db.person.findUniqueOrThrow({ where: { email: DEMO_STAFF.counsellor } });
    await stack.deps.db.chatDuty.create({ data: { personId: person.id } });
    const res = await admin.get(PAGE);
    expect(res.status).toBe(200);
    const page = await res.text();
    expect(page).toContain(DEMO_STAFF.counsellor);
    expect(page).toContain('I tjänst just nu: 1.');
    expect(page).toContain('href="/personal/admin/behorigheter"');
    expect(page).toContain('value="18:00"'); // Thursday's evening period from the defaults
    await stack.deps.db.chatDuty.delete({ where: { personId: person.id } });
  });

  it('saves weekly hours, and refuses a bad time, an empty range and overlapping periods without storing', async () => {
    const week = { ...emptyWeek(), 'mon-0-from': '09:00', 'mon-0-to': '12:00', 'mon-1-from': '13:00', 'mon-1-to': '16:30', 'sat-0-from': '10:00', 'sat-0-to': '14:00' };
    const saved = await admin.post(`${PAGE}/oppettider`, week);
    expect(saved.status).toBe(303);
    expect(await (await admin.get(saved.headers.get('location')!)).text()).toContain('Öppettiderna är sparade.');
    const after = await stored();
    expect(after.weekly.mon).toEqual([{ from: '09:00', to: '12:00' }, { from: '13:00', to: '16:30' }]);
    expect(after.weekly.sat).toEqual([{ from: '10:00', to: '14:00' }]);
    expect(after.weekly.tue).toEqual([]);

    for (const [bad, field, text] of [
      [{ 'tue-0-from': '25:00', 'tue-0-to': '26:00' }, 'tue-0-from', 'Skriv tiden som tt:mm'],
      [{ 'tue-0-from': '9.30', 'tue-0-to': '12:00' }, 'tue-0-from', 'Skriv tiden som tt:mm'],
      [{ 'tue-0-from': '14:00', 'tue-0-to': '14:00' }, 'tue-0-to', 'Sluttiden måste vara senare än starttiden'],
      [{ 'tue-0-from': '14:00', 'tue-0-to': '' }, 'tue-0-to', 'Skriv tiden som tt:mm'],
      [{ 'tue-0-from': '09:00', 'tue-0-to': '12:00', 'tue-1-from': '11:00', 'tue-1-to': '15:00' }, 'tue-1-from', 'Det andra passet måste börja'],
    ] as const) {
      const res = await admin.post(`${PAGE}/oppettider`, { ...week, ...bad });
      expect(res.status).toBe(422);
      const page = await res.text();
      expect(page).toContain(text);
      expect(page).toContain(`id="f-${field}" name="${field}"`);
      expect(page).toMatch(new RegExp(`id="f-${field}"[^>]*aria-invalid="true"`));
      expect(page).toContain('value="16:30"'); // the admin's other input is kept
      expect((await stored()).weekly).toEqual(after.weekly);
    }
  });

  it('adds a closed day and a day with other hours, refuses bad and taken dates, and removes after confirmation', async () => {
    const closed = await admin.post(`${PAGE}/undantag`, { exDate: '2026-12-24', exKind: 'closed', exNote: 'Julafton' });
    expect(closed.status).toBe(303);
    const shortened = await admin.post(`${PAGE}/undantag`, { exDate: '2026-12-30', exKind: 'hours', 'ex-0-from': '10:00', 'ex-0-to': '13:00', exNote: '' });
    expect(shortened.status).toBe(303);
    expect((await stored()).exceptions).toEqual([
      { date: '2026-12-24', hours: [], note: 'Julafton' },
      { date: '2026-12-30', hours: [{ from: '10:00', to: '13:00' }], note: '' },
    ]);
    const page = await (await admin.get(PAGE)).text();
    expect(page).toContain('Julafton');
    expect(page).toContain('10:00–13:00');

    for (const [form, text] of [
      [{ exDate: '2026-02-30', exKind: 'closed' }, 'Skriv ett datum som finns'],
      [{ exDate: '24/12', exKind: 'closed' }, 'Skriv ett datum som finns'],
      [{ exDate: '2026-12-24', exKind: 'closed' }, 'Det finns redan ett undantag'],
      [{ exDate: '2026-12-31', exKind: 'hours' }, 'Skriv öppettiderna för dagen'],
      [{ exDate: '2026-12-31', exKind: 'hours', 'ex-0-from': '15:00', 'ex-0-to': '11:00' }, 'Sluttiden måste vara senare'],
      [{ exDate: '2026-12-31', exKind: 'closed', exNote: 'x'.repeat(81) }, 'Anteckningen får vara högst 80 tecken'],
    ] as const) {
      const res = await admin.post(`${PAGE}/undantag`, form);
      expect(res.status).toBe(422);
      expect(await res.text()).toContain(text);
    }
    expect((await stored()).exceptions).toHaveLength(2);

    // Without the script's dialog, the remove button leads to a question first.
    const asked = await admin.post(`${PAGE}/undantag/2026-12-24/ta-bort`, {});
    expect(asked.status).toBe(200);
    expect(await asked.text()).toContain('name="confirm" value="yes"');
    expect((await stored()).exceptions).toHaveLength(2);
    const removed = await admin.post(`${PAGE}/undantag/2026-12-24/ta-bort`, { confirm: 'yes' });
    expect(removed.status).toBe(303);
    expect((await stored()).exceptions.map((e) => e.date)).toEqual(['2026-12-30']);
    expect((await admin.post(`${PAGE}/undantag/2026-12-24/ta-bort`, { confirm: 'yes' })).status).toBe(404);
  });

  it('saves retention, inactivity and capacity in whole units and refuses what is out of range', async () => {
    const ok = await admin.post(`${PAGE}/regler`, { retentionHours: '0', inactivityAskMinutes: '4', inactivityCloseMinutes: '2', maxPerCounsellor: '5', maxQueue: '40', startsPerAddress: '20' });
    expect(ok.status).toBe(303);
    const s = await stored();
    expect([s.retentionMs, s.inactivityAskMs, s.inactivityCloseMs, s.maxPerCounsellor, s.maxQueue, s.startsPerAddress]).toEqual([0, 240_000, 120_000, 5, 40, 20]);

    const bad = await admin.post(`${PAGE}/regler`, { retentionHours: 'tre', inactivityAskMinutes: '0', inactivityCloseMinutes: '61', maxPerCounsellor: '11', maxQueue: '0', startsPerAddress: '20' });
    expect(bad.status).toBe(422);
    const page = await bad.text();
    expect(page).toContain('Skriv ett heltal');
    expect(page).toContain('Värdet är utanför det tillåtna intervallet');
    expect(page).toContain('value="tre"');
    const after = await stored();
    expect([after.retentionMs, after.maxPerCounsellor, after.maxQueue]).toEqual([0, 5, 40]);
    expect(page).toContain('0 betyder att texten i samtalet raderas direkt');
  });

  it('saves the guidelines and adds, edits and removes prepared texts', async () => {
    expect((await admin.post(`${PAGE}/riktlinjer`, { guidelines: '  Var vänlig.\r\nSkriv enkelt.  ' })).status).toBe(303);
    expect((await stored()).guidelines).toBe('Var vänlig.\nSkriv enkelt.');
    const tooLong = await admin.post(`${PAGE}/riktlinjer`, { guidelines: 'x'.repeat(5001) });
    expect(tooLong.status).toBe(422);
    expect((await stored()).guidelines).toBe('Var vänlig.\nSkriv enkelt.');

    const count = (await stored()).preparedTexts.length;
    expect((await admin.post(`${PAGE}/texter`, { textTitle: 'Öppettider', textBody: 'Vi har öppet vardagar 10–16.' })).status).toBe(303);
    const empty = await admin.post(`${PAGE}/texter`, { textTitle: ' ', textBody: 'Text' });
    expect(empty.status).toBe(422);
    expect(await empty.text()).toContain('Skriv en rubrik på högst 80 tecken.');
    let texts = (await stored()).preparedTexts;
    expect(texts).toHaveLength(count + 1);
    const index = texts.length - 1;
    expect(texts[index]).toEqual({ title: 'Öppettider', body: 'Vi har öppet vardagar 10–16.' });

    const editPage = await admin.get(`${PAGE}/texter/${index}`);
    expect(await editPage.text()).toContain('Vi har öppet vardagar 10–16.');
    expect((await admin.post(`${PAGE}/texter/${index}`, { title: 'Öppettider', body: '', was: 'Öppettider' })).status).toBe(422);
    expect((await admin.post(`${PAGE}/texter/${index}`, { title: 'Annat', body: 'Ny text', was: 'Fel rubrik' })).status).toBe(422); // stale
    expect((await admin.post(`${PAGE}/texter/${index}`, { title: 'Öppettider', body: 'Vardagar 10–16, torsdagar även 18–20.', was: 'Öppettider' })).status).toBe(303);
    expect((await stored()).preparedTexts[index].body).toBe('Vardagar 10–16, torsdagar även 18–20.');

    const asked = await admin.post(`${PAGE}/texter/${index}/ta-bort`, { was: 'Öppettider' });
    expect(asked.status).toBe(200);
    expect((await stored()).preparedTexts).toHaveLength(count + 1);
    expect((await admin.post(`${PAGE}/texter/${index}/ta-bort`, { was: 'Öppettider', confirm: 'yes' })).status).toBe(303);
    texts = (await stored()).preparedTexts;
    expect(texts).toHaveLength(count);
    expect(texts).toEqual(DEFAULT_CHAT_SETTINGS.preparedTexts);
    expect((await admin.get(`${PAGE}/texter/99`)).status).toBe(404);
  });

  it('renders in English', async () => {
    const page = await (await admin.get(`${PAGE}?lang=en`)).text();
    expect(page).toContain('Opening hours per weekday');
    await admin.get(`${PAGE}?lang=sv`);
  });
});
