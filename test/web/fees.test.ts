// Training fees (R8.6): the admin sets the fee, invoices admitted participants, sees overdue
// invoices and marks them paid; the case workflow is told each time; the participant downloads
// their invoice as a PDF and nobody else can.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueInvoice } from '../../lib/invoices/issue';
import { pdfaProblems } from '../../lib/pdf/pdfaCheck';
import { extractPdfText } from '../../lib/pdf/pdfText';
import { addDays, stockholmDateString } from '../../lib/time';
import { DEMO_STAFF } from '../../prisma/seed';
import { createApp } from '../../web/app';
import { startStack, type TestStack } from '../support/stack';
import { WebClient } from '../support/webClient';

let stack: TestStack;
let app: ReturnType<typeof createApp>;
let admin: WebClient;
let courseId: string;
let caseSeq = 0;
const today = () => stockholmDateString(new Date());
const db = () => stack.deps.db;

beforeAll(async () => {
  stack = await startStack();
  app = createApp(stack.deps);
  admin = await WebClient.loggedIn(app, db(), DEMO_STAFF.admin);
  courseId = (await db().course.create({ data: { kind: 'training', title: 'Komet för yrkesverksamma – höst', capacity: 10 } })).id;
});
afterAll(async () => stack?.stop());

/**
 * A logged-in participant admitted to the training. `listening` starts a workflow under the case's
 * id on a task queue no worker polls: it stays running, so the signals sent to it land in its history.
 */
async function participant(name: string, listening: boolean) {
  const client = new WebClient(app);
  const email = `fee-${randomUUID().slice(0, 8)}@example.org`;
  await client.login(db(), email);
  const person = await db().person.update({ where: { email }, data: { name } });
  const caseNumber = `KOM-2026-${String(800_000 + ++caseSeq)}`;
  const workflowId = `test-fees-${caseNumber}-${randomUUID()}`;
  if (listening) {
    await stack.env.client.workflow.start('professionalEnrolment', { workflowId, taskQueue: `nowhere-${randomUUID()}`, args: [] });
  }
  const application = await db().application.create({
    data: { caseNumber, kind: 'training', personId: person.id, courseId, status: 'admitted', answers: {}, idempotencyKey: `test:${caseNumber}`, workflowId },
  });
  return { client, caseNumber, applicationId: application.id, workflowId };
}

async function signalsTo(workflowId: string) {
  const history = await stack.env.client.workflow.getHandle(workflowId).fetchHistory();
  return (history.events ?? []).filter((e) => e.workflowExecutionSignaledEventAttributes).map((e) => e.workflowExecutionSignaledEventAttributes!.signalName);
}

describe('access', () => {
  it('refuses the fee desk to anyone but an admin', async () => {
    const { client } = await participant('Nils Nilsson', false);
    expect((await client.get('/personal/avgifter')).status).toBe(403);
    expect((await client.get(`/personal/avgifter/${courseId}`)).status).toBe(403);
    const leader = await WebClient.loggedIn(app, db(), DEMO_STAFF.leaderSodermalm);
    expect((await leader.post(`/personal/avgifter/${courseId}/avgift`, { fee: '1' })).status).toBe(403);
    expect((await db().course.findUniqueOrThrow({ where: { id: courseId } })).feeOre).toBeNull();
  });
});

describe('the fee of a training', () => {
  it('answers a fee written as text with a message beside the field and stores nothing', async () => {
    const res = await admin.post(`/personal/avgifter/${courseId}/avgift`, { fee: 'femtusen' });
    expect(res.status).toBe(422);
    const page = await res.text();
    expect(page).toContain('id="f-fee-error"');
    expect(page).toContain('Skriv avgiften som ett belopp i kronor');
    expect(page).toContain('value="femtusen"');
    expect((await db().course.findUniqueOrThrow({ where: { id: courseId } })).feeOre).toBeNull();
  });

  it('stores kronor with a decimal comma and spaces as öre', async () => {
    const res = await admin.post(`/personal/avgifter/${courseId}/avgift`, { fee: '4 500,50' });
    expect(res.status).toBe(303);
    expect((await db().course.findUniqueOrThrow({ where: { id: courseId } })).feeOre).toBe(450050);
    expect(await (await admin.get(res.headers.get('location')!)).text()).toContain('Avgiften är sparad.');
  });
});

describe('invoices', () => {
  let anna: Awaited<ReturnType<typeof participant>>;
  let invoiceNumber: string;

  beforeAll(async () => {
    anna = await participant('Anna Åkesson', true);
  });

  it('prefills the amount from the fee', async () => {
    const page = await (await admin.get(`/personal/avgifter/${courseId}/faktura/${anna.applicationId}`)).text();
    expect(page).toContain('value="4500,50"');
  });

  it('refuses a due date in the past and issues nothing', async () => {
    const res = await admin.post(`/personal/avgifter/${courseId}/faktura/${anna.applicationId}`, { amount: '4500', dueDate: addDays(today(), -1) });
    expect(res.status).toBe(422);
    expect(await res.text()).toContain('Förfallodagen kan inte ha passerat');
    expect(await db().invoice.count({ where: { applicationId: anna.applicationId } })).toBe(0);
  });

  it('issues a numbered invoice, lists it and signals the case workflow with its due date', async () => {
    const due = addDays(today(), 30);
    const res = await admin.post(`/personal/avgifter/${courseId}/faktura/${anna.applicationId}`, { amount: '4500,50', dueDate: due });
    expect(res.status).toBe(303);
    const invoice = await db().invoice.findFirstOrThrow({ where: { applicationId: anna.applicationId } });
    expect(invoice.number).toMatch(/^KOMF-\d{4}-\d{5}$/);
    expect(invoice.amountOre).toBe(450050);
    expect(invoice.dueDate.toISOString().slice(0, 10)).toBe(due);
    invoiceNumber = invoice.number;
    expect(res.headers.get('location')).toBe(`/personal/avgifter/${courseId}?utfardad=${invoice.number}`);
    const page = await (await admin.get(res.headers.get('location')!)).text();
    expect(page).toContain(`Faktura ${invoice.number} är skapad.`);
    expect(page).toContain(`<th scope="row">${invoice.number}</th>`);
    expect(page).toContain('4\u00a0500,50\u00a0kr');
    expect(await signalsTo(anna.workflowId)).toEqual(['invoiceIssued']);
  });

  it('keeps the invoice and says so when the case workflow cannot be reached', async () => {
    const bo = await participant('Bo Berg', false);
    const res = await admin.post(`/personal/avgifter/${courseId}/faktura/${bo.applicationId}`, { amount: '100', dueDate: today() });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toContain('arende=ej-nadd');
    expect(await db().invoice.count({ where: { applicationId: bo.applicationId } })).toBe(1);
    expect(await (await admin.get(res.headers.get('location')!)).text()).toContain('kunde inte nås just nu');
  });

  it('highlights an invoice whose due date has passed unpaid', async () => {
    await db().invoice.update({ where: { number: invoiceNumber }, data: { dueDate: new Date(`${addDays(today(), -3)}T00:00:00Z`) } });
    const overview = await (await admin.get('/personal/avgifter')).text();
    expect(overview).toContain(`<tr id="invoice-${invoiceNumber}" class="overdue">`);
    expect(overview).toContain('Anna Åkesson');
    expect(overview).toContain('Förfallen, obetald');
    const training = await (await admin.get(`/personal/avgifter/${courseId}`)).text();
    expect(training).toContain(`<tr id="invoice-${invoiceNumber}" class="overdue">`);
  });

  it('asks before marking paid, then records the payment and tells the workflow', async () => {
    const ask = await admin.post(`/personal/avgifter/fakturor/${invoiceNumber}/betald`, {});
    expect(ask.status).toBe(200);
    expect(await ask.text()).toContain('Markera fakturan som betald?');
    expect((await db().invoice.findUniqueOrThrow({ where: { number: invoiceNumber } })).paidAt).toBeNull();

    const done = await admin.post(`/personal/avgifter/fakturor/${invoiceNumber}/betald`, { confirm: 'yes' });
    expect(done.status).toBe(303);
    expect((await db().invoice.findUniqueOrThrow({ where: { number: invoiceNumber } })).paidAt).not.toBeNull();
    expect(await signalsTo(anna.workflowId)).toEqual(['invoiceIssued', 'invoicePaid']);
    const overview = await (await admin.get('/personal/avgifter')).text();
    expect(overview).not.toContain(`invoice-${invoiceNumber}`);
  });

  it('gives the participant their invoice PDF with name, training, number and amount', async () => {
    const res = await anna.client.get(`/faktura/${invoiceNumber}.pdf`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/pdf');
    const pdf = new Uint8Array(await res.arrayBuffer());
    const text = extractPdfText(pdf).join('\n').replace(/[\u00a0\u202f]/g, ' '); // Intl's no-break spaces
    expect(text).toContain('Anna Åkesson');
    expect(text).toContain('Komet för yrkesverksamma – höst');
    expect(text).toContain(invoiceNumber);
    expect(text).toContain('4 500,50 kr');
    expect(text).toContain('Stockholms stad');
    expect(pdfaProblems(pdf)).toEqual([]);
    expect((await admin.get(`/faktura/${invoiceNumber}.pdf`)).status).toBe(200);
  });

  it('links the PDF from the participant’s case page', async () => {
    // A case without a running workflow: the page's status query would wait for a worker otherwise.
    const dora = await participant('Dora Dahl', false);
    const { number } = await issueInvoice(db(), { applicationId: dora.applicationId, amountOre: 120000, dueDate: new Date(`${today()}T00:00:00Z`) });
    const page = await (await dora.client.get(`/mina-arenden/${dora.caseNumber}`)).text();
    expect(page).toContain(`href="/faktura/${number}.pdf"`);
    expect(page).toContain('1\u00a0200,00\u00a0kr');
  });

  it('answers another person’s invoice like a missing one', async () => {
    const other = await participant('Cecilia Ek', false);
    expect((await other.client.get(`/faktura/${invoiceNumber}.pdf`)).status).toBe(404);
    expect((await other.client.get('/faktura/KOMF-2026-99999.pdf')).status).toBe(404);
    const anonymous = await new WebClient(app).get(`/faktura/${invoiceNumber}.pdf`);
    expect(anonymous.status).toBe(303);
    expect(anonymous.headers.get('location')).toContain('/logga-in');
  });
});
