// One access policy (issue 13, R3.2, R11.5), through the pages: each kind of object opens to a role
// inside its scope and answers like a missing one (404) or forbidden (403, by area) outside it. The
// reason gate records a look only at a case the staff member may open; another district's case and
// a number that does not exist get the same 404 and write nothing.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_STAFF } from '../../prisma/seed';
import { createApp } from '../../web/app';
import { startStack, type TestStack } from '../support/stack';
import { VALID_FORM, WebClient } from '../support/webClient';

let stack: TestStack;
let app: ReturnType<typeof createApp>;
let courseId: string;
let caseNumber: string;
let materialId: string;
let invoiceNumber: string;
let owner: WebClient;
let leaderHere: WebClient;
let leaderThere: WebClient;
let central: WebClient;
let admin: WebClient;
let guide: WebClient;

const staff = (email: string) => WebClient.loggedIn(app, stack.deps.db, email);

beforeAll(async () => {
  stack = await startStack();
  app = createApp(stack.deps);
  const db = stack.deps.db;
  const course = await db.course.findFirstOrThrow({ where: { district: { slug: 'sodermalm' }, language: 'sv' } });
  courseId = course.id;
  owner = await WebClient.loggedIn(app, db, `p-${randomUUID().slice(0, 8)}@example.org`);
  const res = await owner.post(`/kurser/${courseId}/ansok`, { ...VALID_FORM, submissionKey: randomUUID() });
  caseNumber = /KOM-\d{4}-\d{6}/.exec(res.headers.get('location') ?? '')![0];
  [leaderHere, leaderThere, central, admin, guide] = await Promise.all(
    [DEMO_STAFF.leaderSodermalm, DEMO_STAFF.leaderRinkeby, DEMO_STAFF.central, DEMO_STAFF.admin, DEMO_STAFF.guide].map(staff),
  );
  const leaderId = (await db.person.findUniqueOrThrow({ where: { email: DEMO_STAFF.leaderSodermalm } })).id;
  const content = Buffer.from('%PDF-1.4 test');
  materialId = (
    await db.material.create({
      data: { courseId, title: 'Handbok', fileName: 'handbok.pdf', mimeType: 'application/pdf', sizeBytes: content.byteLength, content, uploadedById: leaderId },
    })
  ).id;
  const application = await db.application.findUniqueOrThrow({ where: { caseNumber } });
  invoiceNumber = 'KOMF-2026-99001';
  await db.invoice.create({ data: { number: invoiceNumber, applicationId: application.id, amountOre: 150_000, dueDate: new Date('2027-01-31') } });
});
afterAll(async () => stack?.stop());

const entriesOf = (n: string) => stack.deps.db.auditEntry.count({ where: { caseNumber: n, action: 'caseOpened' } });
const GATED = '/personal/diarium';

function stateReason(client: WebClient, n: string) {
  return client.post('/personal/atkomst', { caseNumber: n, returnTo: `${GATED}/${n}`, purpose: 'supervision', detail: 'Kontroll av ärendets handläggning' });
}

describe('the reason gate (POST /personal/atkomst)', () => {
  it("refuses another district's case with 404 and writes no audit entry", async () => {
    const before = await entriesOf(caseNumber);
    const res = await stateReason(leaderThere, caseNumber);
    expect(res.status).toBe(404);
    expect(res.headers.get('location')).toBeNull();
    expect(await entriesOf(caseNumber)).toBe(before);
  });

  it('refuses a case number that does not exist the same way', async () => {
    const missing = 'KOM-2026-999999';
    const [outside, nowhere] = await Promise.all([stateReason(leaderThere, caseNumber), stateReason(leaderThere, missing)]);
    expect(nowhere.status).toBe(404);
    expect(outside.status).toBe(404);
    // The same page: nothing in it tells the two apart.
    expect((await outside.text()).replaceAll(caseNumber, '')).toBe((await nowhere.text()).replaceAll(missing, ''));
    expect(await stack.deps.db.auditEntry.count({ where: { caseNumber: missing } })).toBe(0);
  });

  it("refuses a guide and a counsellor a group course's case", async () => {
    const counsellor = await staff(DEMO_STAFF.counsellor);
    const before = await entriesOf(caseNumber);
    for (const client of [guide, counsellor]) expect((await stateReason(client, caseNumber)).status).toBe(404);
    expect(await entriesOf(caseNumber)).toBe(before);
  });

  it('records the look for central and for the leader of the case, one entry each', async () => {
    const before = await entriesOf(caseNumber);
    for (const client of [central, leaderHere]) {
      const res = await stateReason(client, caseNumber);
      expect(res.status).toBe(303);
      expect(res.headers.get('location')).toMatch(new RegExp(`^${GATED}/${caseNumber}\\?atkomst=`));
    }
    expect(await entriesOf(caseNumber)).toBe(before + 2);
  });
});

describe('each kind of object, inside and outside scope', () => {
  it("a case: its district's leader opens it; another district's leader gets 404", async () => {
    expect((await leaderHere.get(`/personal/ansokningar/${caseNumber}`)).status).toBe(200);
    expect((await leaderThere.get(`/personal/ansokningar/${caseNumber}`)).status).toBe(404);
    const decided = await leaderThere.post(`/personal/ansokningar/${caseNumber}/beslut`, { decision: 'admit' });
    expect(decided.status).toBe(404);
    expect((await stack.deps.db.application.findUniqueOrThrow({ where: { caseNumber } })).status).toBe('submitted');
    // The parent's own pages: the owner only.
    expect((await owner.get(`/mina-arenden/${caseNumber}`)).status).toBe(200);
    expect((await leaderHere.get(`/mina-arenden/${caseNumber}`)).status).toBe(404);
  });

  it("a course: its sessions open to its leader, not another district's", async () => {
    expect((await leaderHere.get(`/personal/kurser/${courseId}/traffar`)).status).toBe(200);
    expect((await leaderThere.get(`/personal/kurser/${courseId}/traffar`)).status).toBe(404);
    expect((await central.get(`/personal/kurser/${courseId}/traffar`)).status).toBe(403);
  });

  it('a material: the course page and the file open to its leader only', async () => {
    expect((await leaderHere.get(`/personal/kurser/${courseId}/material`)).status).toBe(200);
    expect((await leaderThere.get(`/personal/kurser/${courseId}/material`)).status).toBe(404);
    expect((await leaderHere.get(`/material/${materialId}`)).status).toBe(200);
    expect((await leaderThere.get(`/material/${materialId}`)).status).toBe(404);
    expect((await guide.get(`/material/${materialId}`)).status).toBe(404);
  });

  it("a survey result: the course's leader sees it; another district's leader and central do not", async () => {
    expect((await leaderHere.get(`/personal/kurser/${courseId}/utvardering`)).status).toBe(200);
    expect((await leaderThere.get(`/personal/kurser/${courseId}/utvardering`)).status).toBe(404);
    expect((await central.get(`/personal/kurser/${courseId}/utvardering`)).status).toBe(403);
  });

  it('an invoice: its person and the admin; not even the leader of the course', async () => {
    const path = `/faktura/${invoiceNumber}.pdf`;
    expect((await owner.get(path)).status).toBe(200);
    expect((await admin.get(path)).status).toBe(200);
    expect((await leaderHere.get(path)).status).toBe(404);
    expect((await leaderHere.get('/personal/avgifter')).status).toBe(403);
    expect((await admin.get('/personal/avgifter')).status).toBe(200);
  });

  it('the audit review: central only', async () => {
    expect((await central.get('/personal/granskning')).status).toBe(200);
    for (const client of [admin, leaderHere]) expect((await client.get('/personal/granskning')).status).toBe(403);
  });
});
