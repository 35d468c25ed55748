// The manager's consent page (R6.2): no login, the signed single-use link is the credential. A
// tampered, foreign, expired or used link shows a clear page and changes nothing; a valid answer
// reaches the case's workflow, which records it, and the link then cannot be used again.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { consentLinkPath, consentTokenFor, newConsentToken } from '../../lib/enrolments/consentLink';
import { createApp } from '../../web/app';
import { enrolmentStatusQuery } from '../../workflows/professionalEnrolment.messages';
import { eventually } from '../support/eventually';
import { startStack, type TestStack } from '../support/stack';
import { WebClient, VALID_ENROLMENT_FORM } from '../support/webClient';

let stack: TestStack;
let app: ReturnType<typeof createApp>;
let trainingId: string;
const secret = () => stack.deps.config.sessionSecret;

beforeAll(async () => {
  stack = await startStack();
  app = createApp(stack.deps);
  trainingId = (await stack.deps.db.course.findFirstOrThrow({ where: { kind: 'training' } })).id;
});
afterAll(async () => stack?.stop());

const ENROLMENT = { ...VALID_ENROLMENT_FORM, phone: '' };

/** A real enrolment through the form; its workflow creates the request and mails the manager. */
async function enrolled() {
  const client = await WebClient.loggedIn(app, stack.deps.db, `pedagog-${randomUUID().slice(0, 8)}@example.org`);
  const res = await client.post(`/utbildningar/${trainingId}/anmal`, { ...ENROLMENT, submissionKey: randomUUID() });
  expect(res.status).toBe(303);
  const caseNumber = /KOM-\d{4}-\d{6}/.exec(res.headers.get('location')!)![0];
  const application = await stack.deps.db.application.findUniqueOrThrow({ where: { caseNumber } });
  const request = await eventually(() => stack.deps.db.consentRequest.findUniqueOrThrow({ where: { applicationId: application.id } }));
  const { token } = consentTokenFor(secret(), request.id);
  await eventually(async () => expect((await stack.deps.db.consentRequest.findUniqueOrThrow({ where: { id: request.id } })).tokenHash).not.toMatch(/^pending:/));
  return { application, request, path: consentLinkPath(secret(), { requestId: request.id, token, expiresAt: request.expiresAt }) };
}

/** A case with a request made here (no workflow): for the links that must never reach one. */
async function storedRequest(expiresAt: Date, usedAt: Date | null = null) {
  const db = stack.deps.db;
  const person = await db.person.create({ data: { email: `pedagog-${randomUUID().slice(0, 8)}@example.org`, name: 'Olle Fritids' } });
  const caseNumber = `KOM-1999-${String(Math.floor(Math.random() * 1e6)).padStart(6, '0')}`;
  const application = await db.application.create({
    data: {
      caseNumber,
      kind: 'training',
      status: 'awaitingConsent',
      personId: person.id,
      courseId: trainingId,
      answers: { workplace: 'Fritids Ekbacken', managerEmail: 'chef@example.org' },
      idempotencyKey: `test:${randomUUID()}`,
      workflowId: `professionalEnrolment-${caseNumber}`,
    },
  });
  const { token, tokenHash } = newConsentToken();
  const request = await db.consentRequest.create({
    data: { applicationId: application.id, managerEmail: 'chef@example.org', tokenHash, expiresAt, usedAt },
  });
  return { application, request, token, path: consentLinkPath(secret(), { requestId: request.id, token, expiresAt }) };
}

async function snapshot(requestId: string, applicationId: string) {
  const db = stack.deps.db;
  const request = await db.consentRequest.findUniqueOrThrow({ where: { id: requestId } });
  const application = await db.application.findUniqueOrThrow({ where: { id: applicationId }, include: { events: true } });
  return { usedAt: request.usedAt, decision: request.decision, comment: request.comment, status: application.status, events: application.events.length };
}

/** Opens and posts the link as a manager would; both must refuse with `status` and `text`. */
async function expectRefused(path: string, status: number, text: string, ids: { requestId: string; applicationId: string }) {
  const before = await snapshot(ids.requestId, ids.applicationId);
  const manager = new WebClient(app);
  const shown = await manager.get(path);
  expect(shown.status).toBe(status);
  const html = await shown.text();
  expect(html).toContain(text);
  expect(html).not.toContain('name="decision"');
  expect(shown.headers.get('referrer-policy')).toBe('no-referrer');
  const posted = await manager.post(path, { decision: 'approved', comment: 'Ja' });
  expect(posted.status).toBe(status);
  expect(await posted.text()).toContain(text);
  expect(await snapshot(ids.requestId, ids.applicationId)).toEqual(before);
}

const withParam = (path: string, name: string, value: string) => {
  const url = new URL(path, 'http://x');
  url.searchParams.set(name, value);
  return `${url.pathname}${url.search}`;
};

describe('consent link', () => {
  it('shows who applies and for what, without login and without referrer or caching', async () => {
    const { path } = await storedRequest(new Date(Date.now() + 86_400_000));
    const res = await new WebClient(app).get(path);
    expect(res.status).toBe(200);
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    expect(res.headers.get('cache-control')).toBe('no-store');
    const html = await res.text();
    for (const text of ['Olle Fritids', 'Fritids Ekbacken', 'Komet gruppledarutbildning', 'Hantverkargatan 2', 'name="decision"', 'name="_csrf"']) {
      expect(html).toContain(text);
    }
    expect(html).toMatch(/12\s000,00\skr/);
  });

  it('refuses a form without a decision, or with a comment over 1000 characters, beside the field', async () => {
    const { path, request, application } = await storedRequest(new Date(Date.now() + 86_400_000));
    const before = await snapshot(request.id, application.id);
    const manager = new WebClient(app);
    await manager.get(path);
    const none = await manager.post(path, { comment: 'Hmm' });
    expect(none.status).toBe(422);
    expect(await none.text()).toMatch(/id="f-decision-error"[^>]*>.*Välj om du godkänner/s);
    const long = await manager.post(path, { decision: 'approved', comment: 'x'.repeat(1001) });
    expect(long.status).toBe(422);
    expect(await long.text()).toMatch(/id="f-comment-error"[^>]*>.*högst 1000 tecken/s);
    expect(await snapshot(request.id, application.id)).toEqual(before);
  });

  it('refuses a tampered signature', async () => {
    const { path, request, application } = await storedRequest(new Date(Date.now() + 86_400_000));
    const s = new URL(path, 'http://x').searchParams.get('s')!;
    const tampered = withParam(path, 's', (s[0] === 'A' ? 'B' : 'A') + s.slice(1));
    await expectRefused(tampered, 404, 'Länken fungerar inte', { requestId: request.id, applicationId: application.id });
  });

  it('refuses a changed expiry (the signature covers it)', async () => {
    const { path, request, application } = await storedRequest(new Date(Date.now() + 86_400_000));
    const later = withParam(path, 'e', String(Date.now() + 30 * 86_400_000));
    await expectRefused(later, 404, 'Länken fungerar inte', { requestId: request.id, applicationId: application.id });
  });

  it('refuses an expired link', async () => {
    const { path, request, application } = await storedRequest(new Date(Date.now() - 60_000));
    await expectRefused(path, 410, 'Länken har gått ut', { requestId: request.id, applicationId: application.id });
  });

  it('refuses another case’s token, correctly signed for this request', async () => {
    const mine = await storedRequest(new Date(Date.now() + 86_400_000));
    const other = await storedRequest(new Date(Date.now() + 86_400_000));
    const forged = consentLinkPath(secret(), { requestId: mine.request.id, token: other.token, expiresAt: mine.request.expiresAt });
    await expectRefused(forged, 404, 'Länken fungerar inte', { requestId: mine.request.id, applicationId: mine.application.id });
    expect(await snapshot(other.request.id, other.application.id)).toMatchObject({ usedAt: null, status: 'awaitingConsent' });
  });

  it('refuses a link that has been used', async () => {
    const { path, request, application } = await storedRequest(new Date(Date.now() + 86_400_000), new Date());
    await expectRefused(path, 410, 'redan besvarad', { requestId: request.id, applicationId: application.id });
  });

  it('sends the approval to the workflow, thanks the manager, and the link cannot be replayed', async () => {
    const { application, request, path } = await enrolled();
    const manager = new WebClient(app);
    expect((await manager.get(path)).status).toBe(200);
    const res = await manager.post(path, { decision: 'approved', comment: 'Självklart, lycka till!' });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('Du har godkänt att Lena Pedagog går Komet gruppledarutbildning');

    const after = await stack.deps.db.consentRequest.findUniqueOrThrow({ where: { id: request.id } });
    expect(after).toMatchObject({ decision: 'approved', comment: 'Självklart, lycka till!' });
    expect(after.usedAt).not.toBeNull();
    const stored = await stack.deps.db.application.findUniqueOrThrow({ where: { id: application.id }, include: { events: true } });
    expect(stored.status).toBe('consented');
    expect(stored.events.map((e) => e.type)).toContain('consent.approved');
    // The workflow took the answer: wait for its notice (which adds to the diary) before the replay.
    const handle = stack.deps.temporal.workflow.getHandle(application.workflowId);
    await eventually(async () => expect((await handle.query(enrolmentStatusQuery)).noticesSent).toContain('consentApproved'));

    await expectRefused(path, 410, 'redan besvarad', { requestId: request.id, applicationId: application.id });
  });

  it('records a decline', async () => {
    const { application, path } = await enrolled();
    const manager = new WebClient(app);
    await manager.get(path);
    const res = await manager.post(path, { decision: 'declined', comment: '' });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('Du har avböjt');
    expect((await stack.deps.db.application.findUniqueOrThrow({ where: { id: application.id } })).status).toBe('consentDeclined');
  });
});
