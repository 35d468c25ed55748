// Certificates (R6.6, R7.7, R8.8): issued once per approved participant with a KOMI number, as a PDF
// for the holder (and admins), checkable by anyone at the public verification page, by the random
// code the PDF carries and never by the number (issue 14 item 7); the admin sends them per
// training after confirming.
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import QRCode from 'qrcode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueCertificate } from '../../lib/certificates/issue';
import { newVerificationCode, VERIFICATION_CODE_PATTERN } from '../../lib/certificates/verificationCode';
import { pdfaProblems } from '../../lib/pdf/pdfaCheck';
import { readPdfPages } from '../../lib/pdf/pdfText';
import { formatDate } from '../../lib/time';
import { DEMO_STAFF } from '../../prisma/seed';
import { createApp } from '../../web/app';
import { PROFESSIONAL_ENROLMENT, professionalEnrolmentWorkflowId } from '../../workflows/professionalEnrolment.messages';
import { createTestDatabase } from '../support/database';
import { startStack, type TestStack } from '../support/stack';
import { WebClient } from '../support/webClient';

let stack: TestStack;
let app: ReturnType<typeof createApp>;
let admin: WebClient;
let courseId: string;
let sessionId: string;
let caseSeq = 0;
const db = () => stack.deps.db;
const TITLE = 'Komet för yrkesverksamma – vår';

beforeAll(async () => {
  stack = await startStack();
  app = createApp(stack.deps);
  admin = await WebClient.loggedIn(app, db(), DEMO_STAFF.admin);
  // A training that took place: its one session ended yesterday.
  const course = await db().course.create({
    data: {
      kind: 'training',
      title: TITLE,
      capacity: 10,
      sessions: { create: [{ startsAt: new Date(Date.now() - 30 * 3_600_000), endsAt: new Date(Date.now() - 26 * 3_600_000) }] },
    },
    include: { sessions: true },
  });
  courseId = course.id;
  sessionId = course.sessions[0].id;
});
afterAll(async () => stack?.stop());

/** A logged-in participant who attended and whom the instructor approved after the training; no workflow runs under the case's id. */
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
  await db().attendance.create({ data: { sessionId, applicationId: application.id, present: true, markedById: person.id } });
  return { client, email, caseNumber, applicationId: application.id };
}

const codeOf = async (number: string) => (await db().certificate.findUniqueOrThrow({ where: { number } })).verificationCode;

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
    expect(rows[0].verificationCode).toMatch(VERIFICATION_CODE_PATTERN);
  });

  it('gives every certificate its own random verification code, unrelated to its number', async () => {
    const issued = await Promise.all(['Ada Ek', 'Bo Ek', 'Cia Ek'].map(async (name) => issueCertificate(db(), (await approvedParticipant(name)).applicationId)));
    const codes = await Promise.all(issued.map((c) => codeOf(c.number)));
    expect(new Set(codes).size).toBe(3);
    for (const [i, code] of codes.entries()) {
      expect(code).toMatch(VERIFICATION_CODE_PATTERN);
      expect(code).not.toContain(issued[i].number.slice(5));
    }
  });

  it('gives concurrent first calls one certificate and one number', async () => {
    const { applicationId } = await approvedParticipant('Frida Lind');
    const results = await Promise.all([issueCertificate(db(), applicationId), issueCertificate(db(), applicationId)]);
    expect(results[0]).toEqual(results[1]);
    expect(await db().certificate.count({ where: { applicationId } })).toBe(1);
  });
});

describe('the certificate PDF', () => {
  it('carries the name as written, training, number, the verification address and its QR code, for the holder and admins only', async () => {
    const holder = await approvedParticipant('أحمد Öberg');
    const { number } = await issueCertificate(db(), holder.applicationId);
    const url = `${stack.deps.config.publicUrl}/intyg/${await codeOf(number)}`;
    const res = await holder.client.get(`/intyg/${number}.pdf`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/pdf');
    const pdf = Buffer.from(await res.arrayBuffer());
    const [page] = readPdfPages(pdf);
    expect(page.lines).toContain('أحمد Öberg');
    expect(page.lines).toContain(TITLE);
    expect(page.lines).toContain(number);
    expect(page.lines).toContain(url);
    // The QR code's squares are those of the verification address.
    const modules = QRCode.create(url, { errorCorrectionLevel: 'M' }).modules;
    const dark = Array.from({ length: modules.size ** 2 }, (_, i) => modules.data[i]).filter(Boolean).length;
    const unit = Math.min(...page.filledRects.map((r) => r.height));
    expect(Math.round(page.filledRects.reduce((sum, r) => sum + r.width, 0) / unit)).toBe(dark);
    expect(pdfaProblems(pdf)).toEqual([]);

    expect((await admin.get(`/intyg/${number}.pdf`)).status).toBe(200);
    const other = await approvedParticipant('Hanna Holm');
    expect((await other.client.get(`/intyg/${number}.pdf`)).status).toBe(404);
  });
});

describe('public verification', () => {
  it('confirms a certificate by its code with holder, training and date, and nothing more', async () => {
    const holder = await approvedParticipant('Ingrid Åberg');
    const { number } = await issueCertificate(db(), holder.applicationId);
    const res = await new WebClient(app).get(`/intyg/${await codeOf(number)}`);
    expect(res.status).toBe(200);
    const page = await res.text();
    expect(page).toContain('Intyget är giltigt');
    expect(page).toContain('Ingrid Åberg');
    expect(page).toContain(TITLE);
    const issuedOn = (await db().certificate.findUniqueOrThrow({ where: { number } })).issuedAt;
    expect(page).toContain(formatDate(issuedOn, 'sv'));
    expect(page).not.toContain(number);
    expect(page).not.toContain(holder.email);
    expect(page).not.toContain(holder.caseNumber);
  });

  it('shows a certificate as not valid once what it certifies no longer holds ("Godkänd" withdrawn)', async () => {
    const holder = await approvedParticipant('Olle Viktorsson');
    const { number } = await issueCertificate(db(), holder.applicationId);
    const path = `/intyg/${await codeOf(number)}`;
    expect(await (await new WebClient(app).get(path)).text()).toContain('Intyget är giltigt');
    await db().application.update({ where: { id: holder.applicationId }, data: { approvedAt: null } });
    const page = await (await new WebClient(app).get(path)).text();
    expect(page).not.toContain('Intyget är giltigt');
    expect(page).toContain('Olle Viktorsson');
  });

  it('opens nothing by the certificate number: it answers like an unknown code', async () => {
    const holder = await approvedParticipant('Jan Nummer');
    const { number } = await issueCertificate(db(), holder.applicationId);
    const visitor = new WebClient(app);
    const byNumber = await visitor.get(`/intyg/${number}`);
    expect(byNumber.status).toBe(404);
    const page = await byNumber.text();
    expect(page).toContain('Intyget finns inte');
    expect(page).not.toContain('Jan Nummer');
    const unknown = await visitor.get(`/intyg/${newVerificationCode()}`);
    expect(unknown.status).toBe(404);
    expect((await unknown.text()).replace(/intyg med koden [^.]*\./, '')).toBe(page.replace(/intyg med koden [^.]*\./, ''));
  });

  it('answers an unknown or malformed code with a clear not-found page', async () => {
    const code = newVerificationCode();
    const unknown = await new WebClient(app).get(`/intyg/${code}`);
    expect(unknown.status).toBe(404);
    const page = await unknown.text();
    expect(page).toContain('Intyget finns inte');
    expect(page).toContain(`Det finns inget intyg med koden ${code}.`);
    expect(page).toContain('skanna intygets QR-kod');
    expect(page).not.toContain('Intyget är giltigt');
    expect((await new WebClient(app).get('/intyg/nonsense')).status).toBe(404);
  });

  it('limits lookups per client', async () => {
    const visitor = new WebClient(createApp(stack.deps)); // a fresh app: its own counters
    const answers: number[] = [];
    for (let i = 1; i <= 31; i++) answers.push((await visitor.get(`/intyg/${newVerificationCode()}`)).status);
    expect(answers.slice(0, 30).every((s) => s === 404)).toBe(true);
    expect(answers[30]).toBe(429);
  });
});

describe('the verification-code migration', () => {
  it('gives every certificate issued before it its own code', async () => {
    // A database as it was before the migration, holding certificates; then the migration itself.
    const before = await createTestDatabase();
    try {
      await before.db.$executeRawUnsafe('DROP INDEX certificate_verification_code_key');
      await before.db.$executeRawUnsafe('ALTER TABLE certificate DROP COLUMN verification_code');
      const course = await before.db.course.create({ data: { kind: 'training', title: 'Äldre utbildning', capacity: 5 } });
      for (let i = 1; i <= 3; i++) {
        const person = await before.db.person.create({ data: { email: `old-${i}@example.org` } });
        const app = await before.db.application.create({
          data: { caseNumber: `KOM-2025-${900_000 + i}`, kind: 'training', personId: person.id, courseId: course.id, status: 'completed', answers: {}, idempotencyKey: `old-${i}`, workflowId: `old-${i}` },
        });
        await before.db.$executeRaw`INSERT INTO certificate (id, number, application_id, holder_name, training_title)
          VALUES (gen_random_uuid(), ${`KOMI-2025-0000${i}`}, ${app.id}::uuid, 'Tidigare', 'Äldre utbildning')`;
      }
      const sql = readFileSync(new URL('../../prisma/migrations/20261207130000_certificate_verification_code/migration.sql', import.meta.url), 'utf8');
      for (const statement of sql.split(';').map((s) => s.trim()).filter((s) => s.replace(/--.*$/gm, '').trim())) {
        await before.db.$executeRawUnsafe(statement);
      }
      const rows = await before.db.certificate.findMany({ select: { verificationCode: true } });
      expect(rows).toHaveLength(3);
      for (const { verificationCode } of rows) expect(verificationCode).toMatch(VERIFICATION_CODE_PATTERN);
      expect(new Set(rows.map((r) => r.verificationCode)).size).toBe(3);
    } finally {
      await before.drop();
    }
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

    // No workflow runs for these test cases: each is reported as not started yet, nothing is issued.
    const sent = await admin.post(`/personal/intyg/${courseId}`, { confirm: 'yes' });
    expect(sent.status).toBe(200);
    const summary = await sent.text();
    expect(summary).toContain('Karin Kvist');
    expect(summary).toContain('Ärendets process har inte startat än. Försök igen om en stund.');
    expect(await db().certificate.count({ where: { applicationId: karin.applicationId } })).toBe(0);
  });

  it('refuses a certificate before the training has taken place: the page says why, nothing is issued or told (the 7 December case)', async () => {
    // A training whose session is three weeks ahead; the participant marked "Godkänd" today.
    const course = await db().course.create({
      data: {
        kind: 'training',
        title: `${TITLE} (vinter)`,
        capacity: 10,
        sessions: { create: [{ startsAt: new Date(Date.now() + 22 * 86_400_000), endsAt: new Date(Date.now() + 22 * 86_400_000 + 4 * 3_600_000) }] },
      },
    });
    const person = await db().person.create({ data: { email: `tidig-${randomUUID().slice(0, 8)}@example.org`, name: 'Tidig Tilda' } });
    const caseNumber = `KOM-2026-${String(700_000 + ++caseSeq)}`;
    const workflowId = professionalEnrolmentWorkflowId(caseNumber);
    const application = await db().application.create({
      data: { caseNumber, kind: 'training', personId: person.id, courseId: course.id, status: 'admitted', approvedAt: new Date(), answers: {}, idempotencyKey: `test:${caseNumber}`, workflowId },
    });
    const state = {
      caseNumber,
      status: 'admitted',
      waitingFor: 'training',
      consentRequestedAt: new Date().toISOString(),
      consentReminded: false,
      openInvoices: [],
      certificateNumber: null,
      noticesSent: ['confirmation', 'consentApproved', 'admitted'],
      updatedAt: new Date().toISOString(),
    };
    await stack.deps.temporal.workflow.start(PROFESSIONAL_ENROLMENT, {
      workflowId,
      taskQueue: stack.deps.config.TEMPORAL_TASK_QUEUE,
      args: [{ caseNumber, applicationId: application.id, courseId: course.id, state }],
    });
    const sent = await admin.post(`/personal/intyg/${course.id}`, { confirm: 'yes' });
    expect(sent.status).toBe(200);
    expect(await sent.text()).toContain('Utbildningen är inte slut än.');
    expect(await db().certificate.count({ where: { applicationId: application.id } })).toBe(0);
    expect((await db().application.findUniqueOrThrow({ where: { id: application.id } })).status).toBe('admitted');
    expect(await db().caseEvent.count({ where: { applicationId: application.id, type: { in: ['certificate.issued', 'notice.certificateIssued'] } } })).toBe(0);
  });
});
