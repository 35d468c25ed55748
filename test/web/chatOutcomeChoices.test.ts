// The admin's answers for a chat's outcome (issue 17): admins only, beside the chat's settings and
// in the staff tools; add, rename, reorder, mark early support, retire and restore; bad input
// refused with 422 beside the field, storing nothing; a choice in use can only be retired, one never
// used is deleted after a confirmation; a question keeps at least one choice in use.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadOutcomeChoices, recordOutcome } from '../../lib/chat/outcomes';
import { DEFAULT_OUTCOME_CHOICES } from '../../prisma/referenceData';
import { DEMO_STAFF } from '../../prisma/seed';
import { createApp } from '../../web/app';
import { startStack, type TestStack } from '../support/stack';
import { html, sv } from '../support/text';
import { ORIGIN, WebClient } from '../support/webClient';

let stack: TestStack;
let app: ReturnType<typeof createApp>;
let admin: WebClient;
const PAGE = '/personal/admin/chatt/utfall';

const choices = () => stack.deps.db.chatOutcomeChoice.findMany({ orderBy: [{ field: 'asc' }, { position: 'asc' }] });
const byLabel = async (label: string) => stack.deps.db.chatOutcomeChoice.findFirstOrThrow({ where: { label } });
const offered = async (field: 'topic' | 'ageBand' | 'result') => (await loadOutcomeChoices(stack.deps.db))[field].map((c) => c.label);

beforeAll(async () => {
  stack = await startStack();
  app = createApp(stack.deps);
  admin = await WebClient.loggedIn(app, stack.deps.db, DEMO_STAFF.admin);
});
afterAll(async () => stack?.stop());

describe("the outcome's answers", () => {
  it('are for admins only, linked beside the chat settings and among the staff tools, and start from the Swedish defaults', async () => {
    const counsellor = await WebClient.loggedIn(app, stack.deps.db, DEMO_STAFF.counsellor);
    expect((await counsellor.get(PAGE)).status).toBe(403);
    expect((await counsellor.post(PAGE, { field: 'topic', topicLabel: 'Smuggel' })).status).toBe(403);
    expect((await new WebClient(app).get(PAGE)).status).toBe(303);
    expect(await (await admin.get('/personal/admin/chatt')).text()).toContain(`href="${PAGE}"`);
    expect(await (await admin.get('/personal')).text()).toContain(`href="${PAGE}"`);

    const res = await admin.get(PAGE);
    expect(res.status).toBe(200);
    const page = await res.text();
    for (const c of DEFAULT_OUTCOME_CHOICES) expect(page).toContain(`<th scope="row">${c.label}</th>`);
    expect(await offered('topic')).toEqual(['Familj', 'Skola', 'Kompisar', 'Alkohol och droger', 'Våld', 'Annat']);
    expect(await offered('ageBand')).toEqual(['Under 13', '13–15', '16–18', '19–25', 'Över 25']);
    const early = (await choices()).filter((c) => c.earlySupport).map((c) => c.label);
    expect(early).toEqual(['Råd och stöd gavs', 'Hänvisad till annan verksamhet']);
  });

  it('adds a choice last in its question, marks early support only on a result, and refuses a bad label storing nothing', async () => {
    const before = (await choices()).length;
    for (const [form, field, key] of [
      [{ field: 'topic', topicLabel: '   ' }, 'topicLabel', 'chatAdmin.outcomes.errors.label'],
      [{ field: 'topic', topicLabel: 'x'.repeat(61) }, 'topicLabel', 'chatAdmin.outcomes.errors.labelLong'],
      [{ field: 'topic', topicLabel: 'familj' }, 'topicLabel', 'chatAdmin.outcomes.errors.labelTaken'],
      [{ field: 'result', resultLabel: '' }, 'resultLabel', 'chatAdmin.outcomes.errors.label'],
    ] as const) {
      const refused = await admin.post(PAGE, form);
      expect(refused.status).toBe(422);
      expect(await refused.text()).toMatch(new RegExp(`id="f-${field}-error"><span class="visually-hidden">[^<]*</span>${html(sv(key))}`));
    }
    expect((await admin.post(PAGE, { field: 'mood', moodLabel: 'Glad' })).status).toBe(422);
    expect((await choices()).length).toBe(before);

    const added = await admin.post(PAGE, { field: 'topic', topicLabel: '  Ekonomi   och  pengar ' });
    expect(added.headers.get('location')).toBe(`${PAGE}?klart=added#topic-heading`);
    expect((await offered('topic')).at(-1)).toBe('Ekonomi och pengar');
    await admin.post(PAGE, { field: 'result', resultLabel: 'Kontakt med skolkurator', resultEarlySupport: 'on' });
    await admin.post(PAGE, { field: 'ageBand', ageBandLabel: 'Över 65', ageBandEarlySupport: 'on' });
    expect(await byLabel('Kontakt med skolkurator')).toMatchObject({ field: 'result', earlySupport: true });
    expect(await byLabel('Över 65')).toMatchObject({ field: 'ageBand', earlySupport: false });
  });

  it('renames and reorders; a taken name is refused beside the field', async () => {
    const ekonomi = await byLabel('Ekonomi och pengar');
    expect(await (await admin.get(`${PAGE}/${ekonomi.id}`)).text()).toContain('value="Ekonomi och pengar"');
    const taken = await admin.post(`${PAGE}/${ekonomi.id}`, { label: 'Skola' });
    expect(taken.status).toBe(422);
    expect(await taken.text()).toContain(html(sv('chatAdmin.outcomes.errors.labelTaken')));
    expect((await admin.post(`${PAGE}/${ekonomi.id}`, { label: 'Ekonomi' })).headers.get('location')).toBe(`${PAGE}?klart=saved#topic-heading`);
    const hjalp = await byLabel('Hänvisad till annan verksamhet');
    await admin.post(`${PAGE}/${hjalp.id}`, { label: 'Hänvisad till annan verksamhet' }); // the box unticked
    expect((await byLabel('Hänvisad till annan verksamhet')).earlySupport).toBe(false);
    await admin.post(`${PAGE}/${hjalp.id}`, { label: 'Hänvisad till annan verksamhet', earlySupport: 'on' });
    expect((await byLabel('Hänvisad till annan verksamhet')).earlySupport).toBe(true);

    expect((await admin.post(`${PAGE}/${ekonomi.id}/flytta`, { riktning: 'upp' })).headers.get('location')).toBe(`${PAGE}?klart=moved#topic-heading`);
    expect(await offered('topic')).toEqual(['Familj', 'Skola', 'Kompisar', 'Alkohol och droger', 'Våld', 'Ekonomi', 'Annat']);
    const familj = await byLabel('Familj');
    await admin.post(`${PAGE}/${familj.id}/flytta`, { riktning: 'upp' }); // first already: stays
    await admin.post(`${PAGE}/${familj.id}/flytta`, { riktning: 'ned' });
    expect((await offered('topic')).slice(0, 2)).toEqual(['Skola', 'Familj']);
    // Through htmx: the list comes back in place.
    const upgraded = await admin.send(`${PAGE}/${familj.id}/flytta`, {
      method: 'POST',
      body: new URLSearchParams({ _csrf: admin.cookie('komet_csrf')!, riktning: 'upp' }),
      headers: { 'hx-request': 'true', origin: ORIGIN, 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(upgraded.status).toBe(303); // htmx follows it and swaps the page's main part
    expect((await offered('topic')).slice(0, 2)).toEqual(['Familj', 'Skola']);
  });

  it('retires and restores; a choice in use is only retired, an unused one is deleted after a confirmation', async () => {
    const { db } = stack.deps;
    // One outcome names Våld: it is in use from now on.
    const counsellor = await db.person.findUniqueOrThrow({ where: { email: DEMO_STAFF.counsellor } });
    const conversation = await db.chatConversation.create({
      data: { visitorKeyHash: randomUUID(), status: 'closed', counsellorId: counsellor.id, assignedAt: new Date(), closedAt: new Date(), closedReason: 'visitor' },
    });
    const [vald, ingen] = [await byLabel('Våld'), await byLabel('Ingen vidare åtgärd')];
    expect(await recordOutcome(db, { conversationId: conversation.id, counsellorId: counsellor.id, topic: vald.id, ageBand: null, result: ingen.id })).toEqual({ ok: true });

    const asked = await admin.post(`${PAGE}/${vald.id}/ta-bort`, {});
    expect(asked.status).toBe(200);
    expect(await asked.text()).toContain(html(sv('chatAdmin.outcomes.inUse.one', { label: 'Våld', count: 1 })));
    expect((await admin.post(`${PAGE}/${vald.id}/ta-bort`, { confirm: 'yes' })).headers.get('location')).toBe(`${PAGE}?fel=in-use#topic-heading`);
    expect(await db.chatOutcomeChoice.count({ where: { id: vald.id } })).toBe(1);

    expect((await admin.post(`${PAGE}/${vald.id}/avveckla`, {})).headers.get('location')).toBe(`${PAGE}?klart=retired#topic-heading`);
    expect(await offered('topic')).not.toContain('Våld');
    const page = await (await admin.get(PAGE)).text();
    expect(page).toContain(`Våld <span class="badge">${sv('chatAdmin.outcomes.retiredBadge')}</span>`);
    expect(await db.chatOutcome.count({ where: { topicId: vald.id } })).toBe(1); // its figures stay
    // Retired, a counsellor cannot choose it any longer.
    const other = await db.chatConversation.create({
      data: { visitorKeyHash: randomUUID(), status: 'closed', counsellorId: counsellor.id, assignedAt: new Date(), closedAt: new Date(), closedReason: 'visitor' },
    });
    expect(await recordOutcome(db, { conversationId: other.id, counsellorId: counsellor.id, topic: vald.id, ageBand: null, result: ingen.id })).toEqual({
      ok: false,
      code: 'invalid',
      errors: { topic: 'chatConsole.outcome.errors.gone' },
    });
    expect((await admin.post(`${PAGE}/${vald.id}/aterstall`, {})).headers.get('location')).toBe(`${PAGE}?klart=restored#topic-heading`);
    expect((await offered('topic')).at(-1)).toBe('Våld');

    const ekonomi = await byLabel('Ekonomi');
    const confirm = await admin.post(`${PAGE}/${ekonomi.id}/ta-bort`, {});
    expect(confirm.status).toBe(200);
    expect(await confirm.text()).toContain(html(sv('chatAdmin.outcomes.removeQuestion', { label: 'Ekonomi' })));
    expect(await db.chatOutcomeChoice.count({ where: { id: ekonomi.id } })).toBe(1);
    expect((await admin.post(`${PAGE}/${ekonomi.id}/ta-bort`, { confirm: 'yes' })).headers.get('location')).toBe(`${PAGE}?klart=deleted#topic-heading`);
    expect(await db.chatOutcomeChoice.count({ where: { id: ekonomi.id } })).toBe(0);
    expect((await admin.post(`${PAGE}/${ekonomi.id}/ta-bort`, { confirm: 'yes' })).status).toBe(404);
  });

  it('keeps one choice in use for a required question', async () => {
    const results = (await loadOutcomeChoices(stack.deps.db)).result;
    for (const r of results.slice(1)) expect((await admin.post(`${PAGE}/${r.id}/avveckla`, {})).headers.get('location')).toBe(`${PAGE}?klart=retired#result-heading`);
    const last = results[0];
    const refused = await admin.post(`${PAGE}/${last.id}/avveckla`, {});
    expect(refused.headers.get('location')).toBe(`${PAGE}?fel=last-active#result-heading`);
    expect(await (await admin.get(refused.headers.get('location')!)).text()).toContain(html(sv('chatAdmin.outcomes.problems.last-active')));
    expect(await offered('result')).toEqual([last.label]);
    // The optional age band may go empty: the counsellor then has "Ej angett" only.
    for (const a of (await loadOutcomeChoices(stack.deps.db)).ageBand) await admin.post(`${PAGE}/${a.id}/avveckla`, {});
    expect(await offered('ageBand')).toEqual([]);
  });
});
