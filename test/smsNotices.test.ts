// Case notices by SMS as well as e-mail (R2.4), through the 46elks stand-in: sent when the parent
// has a mobile number, once per notice however often the activity runs, and as discreet as the e-mail.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sendLoginLink } from '../lib/auth/magicLink';
import { submitApplication } from '../lib/cases/submitApplication';
import { deliverNotice } from '../lib/notify';
import { sweepHeldNotices } from '../lib/notices/caseNotices';
import { DEFAULT_CASE_TIMINGS } from '../lib/settings';
import { DEMO_STAFF } from '../prisma/seed';
import { createApp } from '../web/app';
import { decideUpdate, parentApplicationWorkflowId, statusQuery } from '../workflows/parentApplication.messages';
import { eventually } from './support/eventually';
import { createCitizen, startStack, TEST_PERSONNUMMER, VALID_DETAILS, type TestStack } from './support/stack';

let stack: TestStack;
let pnr = 0;

beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => stack?.stop());

/** A Swedish mobile number no other test uses. */
const freshMobile = () => `+4670${String(Math.floor(Math.random() * 1e7)).padStart(7, '0')}`;

async function apply(phone: string) {
  const person = await createCitizen(stack.deps);
  const course = await stack.deps.db.course.findFirstOrThrow({ where: { district: { slug: 'sodermalm' }, language: 'sv' }, include: { district: true } });
  const result = await submitApplication(
    { db: stack.deps.db, temporal: stack.deps.temporal, taskQueue: stack.deps.config.TEMPORAL_TASK_QUEUE },
    { personId: person.id, courseId: course.id, details: { ...VALID_DETAILS, phone, personnummer: TEST_PERSONNUMMER[pnr++] }, idempotencyKey: randomUUID(), actor: person.id },
  );
  if (!result.ok) throw new Error(result.code);
  const handle = stack.deps.temporal.workflow.getHandle(parentApplicationWorkflowId(result.caseNumber));
  await eventually(async () => expect((await handle.query(statusQuery)).noticesSent).toContain('confirmation'));
  return { person, course, caseNumber: result.caseNumber, handle };
}

const smsTo = (phone: string) => stack.sms.delivered.filter((m) => m.to === phone);

describe('case notices by SMS', () => {
  it('sends the confirmation by SMS too when the parent has a mobile number, logged as channel sms', async () => {
    const phone = freshMobile();
    const { person, course, caseNumber } = await apply(phone);
    await eventually(() => expect(smsTo(phone)).toHaveLength(1));

    const [sms] = smsTo(phone);
    expect(sms.from).toBe('Stockholm');
    expect(sms.message).toContain(`${stack.deps.config.publicUrl}/mina-arenden`);
    // The text says nothing about the programme, the course or the case.
    expect(sms.message).not.toMatch(/Komet|KOM-|Götgatan|Södermalm/i);
    expect(sms.message).not.toContain(course.title);
    expect(sms.message).not.toContain(caseNumber);

    const email = await stack.deps.db.notification.findFirstOrThrow({ where: { recipient: person.email, channel: 'email' } });
    const row = await stack.deps.db.notification.findFirstOrThrow({ where: { recipient: phone } });
    expect(row).toMatchObject({ channel: 'sms', status: 'sent', idempotencyKey: `${email.idempotencyKey}:sms`, body: sms.message });
    expect(row.providerId).toMatch(/^s[0-9a-f]+$/);
  });

  it('sends no SMS once the parent has no phone number, and the e-mail still', async () => {
    const phone = freshMobile();
    const { person, handle } = await apply(phone);
    await eventually(() => expect(smsTo(phone)).toHaveLength(1)); // the confirmation, while the number was there
    await stack.deps.db.person.update({ where: { id: person.id }, data: { phone: null } });
    const leader = await stack.deps.db.person.findUniqueOrThrow({ where: { email: DEMO_STAFF.leaderSodermalm } });
    await handle.executeUpdate(decideUpdate, { args: [{ decision: 'admit', actorId: leader.id }] });
    await eventually(async () => expect((await handle.query(statusQuery)).noticesSent).toContain('admitted'));
    // The admission came within the confirmation's quiet period: it is told when that ends (issue 16).
    await sweepHeldNotices(stack.deps, new Date(Date.now() + DEFAULT_CASE_TIMINGS.noticeQuietMs + 60_000));

    expect(await stack.deps.db.notification.count({ where: { recipient: person.email, channel: 'email' } })).toBe(2);
    expect(await stack.deps.db.notification.count({ where: { recipient: phone } })).toBe(1);
    expect(smsTo(phone)).toHaveLength(1);
  });

  it('retries an SMS the provider could not take, and sends it once', async () => {
    const phone = freshMobile();
    stack.sms.refuseNextTo(phone, 503);
    await apply(phone);
    await eventually(() => expect(smsTo(phone)).toHaveLength(1));
    expect(stack.sms.requests.filter((r) => r.to === phone).map((r) => r.status)).toEqual([503, 200]);
    const rows = await stack.deps.db.notification.findMany({ where: { recipient: phone } });
    expect(rows).toHaveLength(1);
    expect(rows[0].status).toBe('sent');
  });
});

describe('deliverNotice', () => {
  const notice = (email: string, phone: string | null, key = `test:${randomUUID()}`) => ({
    email,
    phone,
    subject: 'Nytt meddelande',
    body: 'Logga in på Mina ärenden.',
    sms: 'Du har ett nytt meddelande från Stockholms stad.',
    idempotencyKey: key,
  });

  it('sends e-mail and SMS once for a delivery repeated with the same key', async () => {
    const phone = freshMobile();
    const n = notice(`p-${randomUUID()}@example.org`, '070' + phone.slice(5));
    await deliverNotice(stack.deps, n);
    await deliverNotice(stack.deps, n);
    expect(smsTo(phone)).toHaveLength(1);
    expect(stack.resend.delivered.filter((m) => m.to.includes(n.email))).toHaveLength(1);
    expect(await stack.deps.db.notification.findMany({ where: { idempotencyKey: { startsWith: n.idempotencyKey } }, orderBy: { channel: 'asc' } })).toMatchObject([
      { channel: 'email', status: 'sent', idempotencyKey: n.idempotencyKey },
      { channel: 'sms', status: 'sent', idempotencyKey: `${n.idempotencyKey}:sms`, recipient: phone },
    ]);
  });

  it('after a failed SMS attempt, the retry sends the SMS but not the e-mail again', async () => {
    const phone = freshMobile();
    const n = notice(`p-${randomUUID()}@example.org`, phone);
    stack.sms.refuseNextTo(phone, 500);
    await expect(deliverNotice(stack.deps, n)).rejects.toThrow(/HTTP 500/);
    await deliverNotice(stack.deps, n);
    expect(smsTo(phone)).toHaveLength(1);
    expect(stack.resend.delivered.filter((m) => m.to.includes(n.email))).toHaveLength(1);
  });

  it('records a permanently refused SMS as failed without failing the notice, and does not try again', async () => {
    const phone = freshMobile();
    const n = notice(`p-${randomUUID()}@example.org`, phone);
    stack.sms.refuseNextTo(phone, 400);
    await deliverNotice(stack.deps, n);
    await deliverNotice(stack.deps, n);
    expect(stack.sms.requests.filter((r) => r.to === phone)).toHaveLength(1);
    expect((await stack.deps.db.notification.findUniqueOrThrow({ where: { idempotencyKey: `${n.idempotencyKey}:sms` } })).status).toBe('failed');
    expect((await stack.deps.db.notification.findUniqueOrThrow({ where: { idempotencyKey: n.idempotencyKey } })).status).toBe('sent');
  });

  it('sends no SMS to a number that cannot take one, or to nobody', async () => {
    const before = stack.sms.requests.length;
    const landline = notice(`p-${randomUUID()}@example.org`, '08-508 290 00');
    const none = notice(`p-${randomUUID()}@example.org`, null);
    await deliverNotice(stack.deps, landline);
    await deliverNotice(stack.deps, none);
    expect(stack.sms.requests.length).toBe(before);
    expect(await stack.deps.db.notification.count({ where: { idempotencyKey: { in: [`${landline.idempotencyKey}:sms`, `${none.idempotencyKey}:sms`] } } })).toBe(0);
  });

  it('keeps the login link e-mail only, even for a person with a mobile number', async () => {
    const phone = freshMobile();
    const person = await stack.deps.db.person.create({ data: { email: `p-${randomUUID()}@example.org`, phone } });
    await sendLoginLink({ db: stack.deps.db, mailer: stack.deps.mailer, publicUrl: stack.deps.config.publicUrl }, person.email, '');
    expect(await stack.deps.db.notification.count({ where: { recipient: person.email, channel: 'email' } })).toBe(1);
    expect(await stack.deps.db.notification.count({ where: { recipient: phone } })).toBe(0);
    expect(smsTo(phone)).toHaveLength(0);
  });
});

describe('dev inbox', () => {
  it('shows SMS beside e-mail, each marked with its channel', async () => {
    const phone = freshMobile();
    const n = { email: `p-${randomUUID()}@example.org`, phone, subject: 'Ämnesrad för inkorgen', body: 'Hej', sms: 'Sms-text för inkorgen', idempotencyKey: `inbox:${randomUUID()}` };
    await deliverNotice({ ...stack.deps, mailer: { delivers: false, send: async () => ({ providerId: null }) }, sms: { delivers: false, send: async () => ({ providerId: null }) } }, n);
    expect(await stack.deps.db.notification.findUniqueOrThrow({ where: { idempotencyKey: `${n.idempotencyKey}:sms` } })).toMatchObject({ status: 'logged' });

    const embedded = createApp({ ...stack.deps, config: { ...stack.deps.config, embedded: true } });
    const page = await (await embedded.request('/dev/inbox')).text();
    const sms = page.slice(page.indexOf('data-channel="sms"'));
    expect(sms).toMatch(/<span class="badge badge-sms">SMS<\/span> SMS till 070-/);
    expect(page).toContain('Sms-text för inkorgen');
    expect(page).toMatch(/<span class="badge badge-email">E-post<\/span> Ämnesrad för inkorgen/);
    // Not mounted outside embedded mode.
    expect((await createApp({ ...stack.deps, config: { ...stack.deps.config, embedded: false } }).request('/dev/inbox')).status).toBe(404);
  });
});
