// The citizen's form journey (issue 16, GOV.UK and Digg patterns): fill in → check your answers,
// each with a change link → send; a draft saved and taken up again from Mina ärenden, the owner's
// alone, deleted when sent or asked, gone after 30 days; and a receipt PDF with the case number.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DRAFT_DAYS, purgeExpiredDrafts } from '../../lib/cases/drafts';
import { extractPdfText } from '../../lib/pdf/pdfText';
import { createApp } from '../../web/app';
import { nextPersonnummer } from '../support/personnummer';
import { startStack, type TestStack } from '../support/stack';
import { VALID_ENROLMENT_FORM, VALID_FORM, WebClient } from '../support/webClient';

let stack: TestStack;
let app: ReturnType<typeof createApp>;
let courseId: string;
let trainingId: string;
const db = () => stack.deps.db;

beforeAll(async () => {
  stack = await startStack();
  app = createApp(stack.deps);
  courseId = (await db().course.findFirstOrThrow({ where: { district: { slug: 'sodermalm' }, language: 'sv' } })).id;
  trainingId = (await db().course.findFirstOrThrow({ where: { kind: 'training', status: 'open' } })).id;
});
afterAll(async () => stack?.stop());

async function citizen(): Promise<{ client: WebClient; email: string; id: string }> {
  const client = new WebClient(app);
  const email = `medborgare-${randomUUID().slice(0, 8)}@example.org`;
  expect((await client.login(db(), email)).status).toBe(303);
  return { client, email, id: (await db().person.findUniqueOrThrow({ where: { email } })).id };
}

const form = () => `/kurser/${courseId}/ansok`;
const { step: _send, consent: _consent, ...ANSWERS } = VALID_FORM;

/** The hidden fields of the check page's send form, as a browser would post them. */
function hiddenFields(html: string): Record<string, string> {
  const unescape = (v: string) => v.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
  return Object.fromEntries([...html.matchAll(/<input type="hidden" name="(\w+)" value="([^"]*)">/g)].map((m) => [m[1], unescape(m[2])]));
}

const answerOf = (html: string, field: string) => new RegExp(`<dd data-answer="${field}">([^<]*)`).exec(html)?.[1];

describe('check your answers', () => {
  it('shows every answer with a change link before anything is sent, then sends what was checked', async () => {
    const { client, email } = await citizen();
    const personnummer = nextPersonnummer();
    const submissionKey = randomUUID();
    const checked = await client.post(form(), { ...ANSWERS, personnummer: personnummer.replace('-', ''), message: 'Behöver tolk.', step: 'check', submissionKey });
    expect(checked.status).toBe(303);
    expect(checked.headers.get('location')).toBe(`${form()}/kontrollera`);
    expect(await db().application.count({ where: { person: { email } } })).toBe(0);

    const page = await (await client.get(`${form()}/kontrollera`)).text();
    expect(page).toContain('<h1>Kontrollera dina svar innan du skickar</h1>');
    // The answers as they will be stored, each with a change link to its field on the form.
    expect(answerOf(page, 'name')).toBe('Maria Andersson');
    expect(answerOf(page, 'personnummer')).toBe(personnummer);
    expect(answerOf(page, 'phone')).toBe('070-123 45 67');
    expect(answerOf(page, 'email')).toBe(email);
    expect(answerOf(page, 'childAge')).toBe('7 år');
    expect(answerOf(page, 'message')).toBe('Behöver tolk.');
    for (const field of ['name', 'personnummer', 'phone', 'childAge', 'message']) {
      expect(page).toContain(`href="${form()}#f-${field}" data-change="${field}">Ändra<span class="visually-hidden"> `);
    }
    // The login e-mail is not the form's to change.
    expect(page).not.toContain('data-change="email"');

    // Sending without the consent stays on the check page with the message beside the box.
    const fields = hiddenFields(page);
    const noConsent = await client.post(form(), { ...fields, step: 'send' });
    expect(noConsent.status).toBe(422);
    const again = await noConsent.text();
    expect(again).toContain('Kontrollera dina svar innan du skickar');
    expect(again).toMatch(/id="f-consent-error"[^>]*>.*godkänna/s);
    expect(await db().application.count({ where: { person: { email } } })).toBe(0);

    const sent = await client.post(form(), { ...fields, consent: 'on', step: 'send' });
    expect(sent.status).toBe(303);
    expect(sent.headers.get('location')).toMatch(/^\/mina-arenden\/KOM-\d{4}-\d{6}\?ny=1$/);
    const stored = await db().application.findFirstOrThrow({ where: { person: { email } }, include: { person: true } });
    expect(stored.idempotencyKey).toBe(`form:${stored.personId}:${submissionKey}`);
    expect(stored.answers).toMatchObject({ childAge: 7, message: 'Behöver tolk.' });
    expect(stored.person.personnummer).toBe(personnummer);
    // The draft that carried the answers to the check page is gone with the sending.
    expect(await db().applicationDraft.count({ where: { personId: stored.personId } })).toBe(0);
  });

  it('a change link leads to the form with the answers kept, and the changed answer is what the check page shows', async () => {
    const { client } = await citizen();
    const personnummer = nextPersonnummer();
    const submissionKey = randomUUID();
    await client.post(form(), { ...ANSWERS, personnummer, step: 'check', submissionKey });
    const formPage = await (await client.get(form())).text();
    // The form comes back filled in as checked, with the same key (still one case per form).
    expect(formPage).toContain('value="Maria Andersson"');
    expect(formPage).toContain(`value="${personnummer}"`);
    expect(hiddenFields(formPage).submissionKey).toBe(submissionKey);
    const resubmitted = await client.post(form(), { ...ANSWERS, personnummer, name: 'Maria Berg', childAge: '8', submissionKey, step: 'check' });
    expect(resubmitted.headers.get('location')).toBe(`${form()}/kontrollera`);
    const page = await (await client.get(`${form()}/kontrollera`)).text();
    expect(answerOf(page, 'name')).toBe('Maria Berg');
    expect(answerOf(page, 'childAge')).toBe('8 år');
  });

  it('goes back to the form with the messages when the answers do not hold, and without answers there is nothing to check', async () => {
    const { client } = await citizen();
    expect((await client.get(`${form()}/kontrollera`)).headers.get('location')).toBe(form());
    const res = await client.post(form(), { ...ANSWERS, phone: '', childAge: 'sju', step: 'check', submissionKey: randomUUID() });
    expect(res.status).toBe(422);
    const html = await res.text();
    expect(html).toMatch(/id="f-phone-error"[^>]*>.*Skriv ditt mobilnummer\./s);
    expect(html).toMatch(/id="f-childAge-error"[^>]*>.*Skriv barnets ålder i hela år med siffror, till exempel 7\./s);
    // The error summary links each message to its field.
    expect(html).toContain('<a href="#f-phone">Skriv ditt mobilnummer.</a>');
  });

  it('works the same for a professional’s enrolment: the manager’s address is checked before it is sent', async () => {
    const { client, email } = await citizen();
    const { step: _s, consent: _c, ...answers } = VALID_ENROLMENT_FORM;
    const enrol = `/utbildningar/${trainingId}/anmal`;
    const res = await client.post(enrol, { ...answers, step: 'check', submissionKey: randomUUID() });
    expect(res.headers.get('location')).toBe(`${enrol}/kontrollera`);
    const page = await (await client.get(`${enrol}/kontrollera`)).text();
    expect(answerOf(page, 'managerEmail')).toBe('per.rektor@example.org');
    expect(answerOf(page, 'managerName')).toBe('Per Rektor');
    expect(answerOf(page, 'email')).toBe(email);
    expect(page).toContain(`href="${enrol}#f-managerEmail" data-change="managerEmail">`);
    expect(await db().application.count({ where: { person: { email } } })).toBe(0);
    const sent = await client.post(enrol, { ...hiddenFields(page), consent: 'on', step: 'send' });
    expect(sent.headers.get('location')).toMatch(/^\/mina-arenden\/KOM-\d{4}-\d{6}\?ny=1$/);
    expect(await db().application.count({ where: { person: { email } } })).toBe(1);
  });
});

describe('drafts', () => {
  it('saves the form as typed, lists it in Mina ärenden with how long it is kept, and resumes it', async () => {
    const { client, id } = await citizen();
    const saved = await client.post(form(), { name: 'Ali Hassan', personnummer: '', phone: '07', childAge: 'fem', message: 'Halvfärdigt', step: 'save', submissionKey: randomUUID() });
    expect(saved.status).toBe(303);
    expect(saved.headers.get('location')).toBe('/mina-arenden?utkast=sparat#utkast');
    const draft = await db().applicationDraft.findFirstOrThrow({ where: { personId: id } });
    expect(draft.answers).toMatchObject({ name: 'Ali Hassan', phone: '07', childAge: 'fem' });
    expect(Math.round((draft.expiresAt.getTime() - Date.now()) / 86_400_000)).toBe(DRAFT_DAYS);

    const list = await (await client.get(saved.headers.get('location')!)).text();
    expect(list).toContain('Ditt utkast är sparat till');
    expect(list).toContain('Påbörjade anmälningar');
    expect(list).toContain(`senast ${DRAFT_DAYS} dagar efter att du sparade det`);
    expect(list).toContain(`data-draft="${draft.id}"`);
    expect(list).toContain(`href="${form()}"`);

    const resumed = await (await client.get(form())).text();
    expect(resumed).toContain('Du fortsätter på ditt sparade utkast.');
    expect(resumed).toContain('value="Ali Hassan"');
    expect(resumed).toContain('value="fem"');
    expect(resumed).toContain('Halvfärdigt</textarea>');
    // The form says what a draft holds and for how long.
    expect(resumed).toContain(`senast ${DRAFT_DAYS} dagar efter att du sparade det`);
  });

  it('is seen, resumed and deleted by its owner alone', async () => {
    const owner = await citizen();
    await owner.client.post(form(), { ...ANSWERS, personnummer: '19850505-1236', step: 'save', submissionKey: randomUUID() });
    const draft = await db().applicationDraft.findFirstOrThrow({ where: { personId: owner.id } });

    const other = await citizen();
    const list = await (await other.client.get('/mina-arenden')).text();
    expect(list).not.toContain(draft.id);
    expect(list).not.toContain('Påbörjade anmälningar');
    const otherForm = await (await other.client.get(form())).text();
    expect(otherForm).not.toContain('19850505-1236');
    expect((await other.client.get(`${form()}/kontrollera`)).headers.get('location')).toBe(form());
    expect((await other.client.post(`/mina-arenden/utkast/${draft.id}/ta-bort`, { confirm: 'yes' })).status).toBe(404);
    expect((await other.client.post(`/mina-arenden/utkast/${draft.id}/ta-bort`, {})).status).toBe(404);
    expect(await db().applicationDraft.count({ where: { id: draft.id } })).toBe(1);
    // Not readable without logging in either.
    expect((await new WebClient(app).get('/mina-arenden')).status).toBe(303);
  });

  it('is deleted only after the owner confirms, and then says so', async () => {
    const { client, id } = await citizen();
    await client.post(form(), { ...ANSWERS, step: 'save', submissionKey: randomUUID() });
    const draft = await db().applicationDraft.findFirstOrThrow({ where: { personId: id } });
    const ask = await client.post(`/mina-arenden/utkast/${draft.id}/ta-bort`, {});
    expect(ask.status).toBe(200);
    const question = await ask.text();
    expect(question).toContain('Ta bort utkastet?');
    expect(question).toContain('name="confirm" value="yes"');
    expect(await db().applicationDraft.count({ where: { id: draft.id } })).toBe(1);

    const done = await client.post(`/mina-arenden/utkast/${draft.id}/ta-bort`, { confirm: 'yes' });
    expect(done.headers.get('location')).toBe('/mina-arenden?utkast=borttaget#utkast');
    expect(await db().applicationDraft.count({ where: { id: draft.id } })).toBe(0);
    expect(await (await client.get(done.headers.get('location')!)).text()).toContain('Utkastet är borttaget.');
  });

  it('is gone with the application it became, also when the application is sent from another tab', async () => {
    const { client, id } = await citizen();
    await client.post(form(), { ...ANSWERS, step: 'save', submissionKey: randomUUID() });
    expect(await db().applicationDraft.count({ where: { personId: id } })).toBe(1);
    const sent = await client.post(form(), { ...VALID_FORM, personnummer: nextPersonnummer(), submissionKey: randomUUID() });
    expect(sent.status).toBe(303);
    expect(await db().applicationDraft.count({ where: { personId: id } })).toBe(0);
    expect(await (await client.get('/mina-arenden')).text()).not.toContain('Påbörjade anmälningar');
  });

  it('is not shown after its time and is deleted by the worker’s sweep', async () => {
    const { client, id } = await citizen();
    await client.post(form(), { ...ANSWERS, step: 'save', submissionKey: randomUUID() });
    await db().applicationDraft.updateMany({ where: { personId: id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    expect(await (await client.get('/mina-arenden')).text()).not.toContain('Påbörjade anmälningar');
    expect(await (await client.get(form())).text()).not.toContain('Du fortsätter på ditt sparade utkast');
    expect(await purgeExpiredDrafts(db())).toBeGreaterThanOrEqual(1);
    expect(await db().applicationDraft.count({ where: { personId: id } })).toBe(0);
  });
});

describe('the receipt', () => {
  it('is a PDF with the case number that the applicant downloads from the confirmation, and no one else', async () => {
    const { client, email } = await citizen();
    const sent = await client.post(form(), { ...VALID_FORM, name: 'Sara Öberg', personnummer: nextPersonnummer(), submissionKey: randomUUID() });
    const location = sent.headers.get('location')!;
    const caseNumber = /KOM-\d{4}-\d{6}/.exec(location)![0];
    const confirmation = await (await client.get(location)).text();
    expect(confirmation).toContain(`href="/mina-arenden/${caseNumber}/kvitto.pdf" download>Ladda ner kvitto (pdf)</a>`);

    const res = await client.get(`/mina-arenden/${caseNumber}/kvitto.pdf`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/pdf');
    const text = extractPdfText(new Uint8Array(await res.arrayBuffer())).join('\n');
    expect(text).toContain('Kvitto på din anmälan');
    expect(text).toContain(caseNumber);
    expect(text).toContain('Sara Öberg');
    expect(text).toContain(email);

    const other = await citizen();
    expect((await other.client.get(`/mina-arenden/${caseNumber}/kvitto.pdf`)).status).toBe(404);
    expect((await client.get('/mina-arenden/KOM-2026-999999/kvitto.pdf')).status).toBe(404);
  });
});
