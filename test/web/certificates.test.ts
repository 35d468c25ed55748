// Certificates (R6.6, R7.7, R8.8): issued once per approved participant with a KOMI number, as a PDF
// for the holder (and admins), checkable by anyone at the public verification page; the admin
// sends them per training after confirming.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueCertificate } from '../../lib/certificates/issue';
import { extractPdfText } from '../../lib/pdf/pdfText';
import { DEMO_STAFF } from '../../prisma/seed';
import { createApp } from '../../web/app';
import { startStack, type TestStack } from '../support/stack';
import { WebClient } from '../support/webClient';

let stack: TestStack;
let app: ReturnType<typeof createApp>;
let admin: WebClient;
let courseId: string;
let caseSeq = 0;
const db = () => stack.deps.db;
const TITLE = 'Komet för yrkesverksamma – vår';

beforeAll(async () => {
  stack = await startStack();
  app = createApp(stack.deps);
  admin = new WebClient(app);
  await admin.login(db(), DEMO_STAFF.admin);
  courseId = (await db().course.create({ data: { kind: 'training', title: TITLE, capacity: 10 } })).id;
});
afterAll(async () => stack?.stop());

/** A logged-in participant the instructor approved; no workflow runs under the case's id. */
async function approvedParticipant(name: string) {
  const client = new WebClient(app);
  const email = `cert-${randomUUID().slice(0, 8)}@example.org`;
  await client.login(db(), email);
  const person = await db().person.update({ where: { email }, data: { name, personnummer: null } });
  const caseNumber = `KOM-2026-${String(700_000 + ++caseSeq)}`;
  const application = await db().application.create({
    data: {
      caseNumber, kind: 'training', personId: person.id, courseId, status: 'admitted', approvedAt: new Date(),
      answers: {}, idempotencyKey: `test:${caseNumber}`, workflowId: `test-cert-${caseNumber}-${randomUUID()}`,
    },
  });
  return { client, email, caseNumber, applicationId: application.id };
}

describe('issueCertificate', () => {
  it('issues one certificate per application: a second call returns the same number', async () => {
    const { applicationId } = await approvedParticipant('Erik Ström');
    const first = await issueCertificate(db(), applicationId);
    const second = await issueCertificate(db(), applicationId);
    expect(first.number).toMatch(/^KOMI-\d{4}-\d{5}$/);
    expect(second).toEqual(first);
    const rows = await db().certificate.findMany({ where: { applicationId } });
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ number: first.number, holderName: 'Erik Ström', trainingTitle: TITLE });
  });

  it('gives concurrent first calls one certificate and one number', async () => {
    const { applicationId } = await approvedParticipant('Frida Lind');
    const results = await Promise.all([issueCertificate(db(), applicationId), issueCertificate(db(), applicationId)]);
    expect(results[0]).toEqual(results[1]);
    expect(await db().certificate.count({ where: { applicationId } })).toBe(1);
  });
});

describe('the certificate PDF', () => {
  it('carries name, training, number and the verification address, for the holder and admins only', async () => {
    const holder = await approvedParticipant('Göran Sjöberg');
    const { number } = await issueCertificate(db(), holder.applicationId);
    const res = await holder.client.get(`/intyg/${number}.pdf`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/pdf');
    const text = extractPdfText(new Uint8Array(await res.arrayBuffer()));
    expect(text).toContain('Göran Sjöberg');
    expect(text).toContain(TITLE);
    expect(text).toContain(number);
    expect(text).toContain(`${stack.deps.config.publicUrl}/intyg/${number}`);

    expect((await admin.get(`/intyg/${number}.pdf`)).status).toBe(200);
    const other = await approvedParticipant('Hanna Holm');
    expect((await other.client.get(`/intyg/${number}.pdf`)).status).toBe(404);
  });
});

describe('public verification', () => {
  it('confirms a real number with holder, training and date, and nothing more', async () => {
    const holder = await approvedParticipant('Ingrid Åberg');
    const { number } = await issueCertificate(db(), holder.applicationId);
    const res = await new WebClient(app).get(`/intyg/${number}`);
    expect(res.status).toBe(200);
    const page = await res.text();
    expect(page).toContain('Intyget är giltigt');
    expect(page).toContain('Ingrid Åberg');
    expect(page).toContain(TITLE);
    expect(page).toContain(number);
    expect(page).not.toContain(holder.email);
    expect(page).not.toContain(holder.caseNumber);
  });

  it('answers an unknown or malformed number with a clear not-found page', async () => {
    const unknown = await new WebClient(app).get('/intyg/KOMI-2020-99999');
    expect(unknown.status).toBe(404);
    const page = await unknown.text();
    expect(page).toContain('Intyget finns inte');
    expect(page).toContain('KOMI-2020-99999');
    expect(page).not.toContain('Intyget är giltigt');
    expect((await new WebClient(app).get('/intyg/nonsense')).status).toBe(404);
  });

  it('limits lookups per client so the number range cannot be walked', async () => {
    const visitor = new WebClient(createApp(stack.deps)); // a fresh app: its own counters
    const answers: number[] = [];
    for (let i = 1; i <= 31; i++) answers.push((await visitor.get(`/intyg/KOMI-2020-${String(i).padStart(5, '0')}`)).status);
    expect(answers.slice(0, 30).every((s) => s === 404)).toBe(true);
    expect(answers[30]).toBe(429);
  });
});

describe('the certificate desk', () => {
  it('is for admins only', async () => {
    const { client } = await approvedParticipant('Jonas Jonsson');
    expect((await client.get('/personal/intyg')).status).toBe(403);
    expect((await client.post(`/personal/intyg/${courseId}`, { confirm: 'yes' })).status).toBe(403);
  });

  it('lists the approved participants, asks before sending, and sums up each case’s answer', async () => {
    const karin = await approvedParticipant('Karin Kvist');
    const list = await (await admin.get(`/personal/intyg/${courseId}`)).text();
    expect(list).toContain('Karin Kvist');
    expect(list).toContain('Skicka intyg');

    const ask = await admin.post(`/personal/intyg/${courseId}`, {});
    expect(ask.status).toBe(200);
    expect(await ask.text()).toContain('Skicka intyg?');
    expect(await db().certificate.count({ where: { applicationId: karin.applicationId } })).toBe(0);

    // No workflow runs for these test cases: each is reported as not reached, nothing is issued.
    const sent = await admin.post(`/personal/intyg/${courseId}`, { confirm: 'yes' });
    expect(sent.status).toBe(200);
    const summary = await sent.text();
    expect(summary).toContain('Karin Kvist');
    expect(summary).toContain('Ärendet kunde inte nås; försök igen senare');
    expect(await db().certificate.count({ where: { applicationId: karin.applicationId } })).toBe(0);
  });
});
