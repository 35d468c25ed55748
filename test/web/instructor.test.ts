// The instructor's console (R7.3–R7.7): only their own trainings (another training is 404, a parent
// 403); supervision groups; admitting and queueing through the enrolment workflow; attendance of the
// admitted only; e-mail to participants stored in their cases; approval for the certificate.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatDateTime } from '../../lib/time';
import { DEMO_STAFF } from '../../prisma/seed';
import { createApp } from '../../web/app';
import {
  enrolmentStatusQuery,
  PROFESSIONAL_ENROLMENT,
  professionalEnrolmentWorkflowId,
  type ProfessionalEnrolmentState,
} from '../../workflows/professionalEnrolment.messages';
import { startStack, type TestStack } from '../support/stack';
import { WebClient } from '../support/webClient';

let stack: TestStack;
let app: ReturnType<typeof createApp>;
let trainingId: string;
let otherTrainingId: string;
let sessionId: string;
/** A session under way: attendance is registered once a session has started (R7.5). */
let startedSessionId: string;
let otherSessionId: string;
let instructorId: string;
let instructor: WebClient;
let otherInstructor: WebClient;
let admin: WebClient;
let parent: WebClient;
let caseSeq = 0;

const db = () => stack.deps.db;
const base = () => `/instruktor/utbildningar/${trainingId}`;

beforeAll(async () => {
  stack = await startStack();
  app = createApp(stack.deps);
  const d = db();
  const training = await d.course.create({ data: { kind: 'training', title: 'Komet för yrkesverksamma – testomgång', capacity: 3, feeOre: 500000 } });
  const other = await d.course.create({ data: { kind: 'training', title: 'Annan utbildning', capacity: 10 } });
  trainingId = training.id;
  otherTrainingId = other.id;
  const start = new Date(Date.now() + 7 * 86_400_000);
  sessionId = (await d.courseSession.create({ data: { courseId: trainingId, startsAt: start, endsAt: new Date(start.getTime() + 3 * 3_600_000) } })).id;
  const begun = new Date(Date.now() - 3_600_000);
  startedSessionId = (await d.courseSession.create({ data: { courseId: trainingId, startsAt: begun, endsAt: new Date(begun.getTime() + 3 * 3_600_000) } })).id;
  otherSessionId = (await d.courseSession.create({ data: { courseId: otherTrainingId, startsAt: start, endsAt: new Date(start.getTime() + 3_600_000) } })).id;
  const mine = await d.person.create({ data: { email: `instr-${randomUUID().slice(0, 6)}@komet.example`, name: 'Ingrid Instruktör' } });
  const theirs = await d.person.create({ data: { email: `instr-${randomUUID().slice(0, 6)}@komet.example`, name: 'Ivar Instruktör' } });
  await d.roleGrant.create({ data: { personId: mine.id, role: 'instructor', courseId: trainingId } });
  await d.roleGrant.create({ data: { personId: theirs.id, role: 'instructor', courseId: otherTrainingId } });
  instructorId = mine.id;
  instructor = new WebClient(app);
  const landed = await instructor.login(d, mine.email);
  // An instructor lands in their own console, as guides land in theirs.
  expect(landed.headers.get('location')).toBe('/instruktor');
  otherInstructor = await WebClient.loggedIn(app, d, theirs.email);
  admin = await WebClient.loggedIn(app, d, DEMO_STAFF.admin);
  parent = await WebClient.loggedIn(app, d, `foralder-${randomUUID().slice(0, 6)}@example.org`);
});
afterAll(async () => stack?.stop());

/** An enrolment application as the enrolment form leaves it once the manager consented. */
async function trainingApplication(status: 'consented' | 'admitted' | 'queued' | 'awaitingConsent' = 'consented', extra: { groupId?: string; courseId?: string } = {}) {
  const caseNumber = `KOM-2026-9${String(++caseSeq).padStart(5, '0')}`;
  const person = await db().person.create({ data: { email: `deltagare-${caseSeq}-${randomUUID().slice(0, 6)}@example.org`, name: `Deltagare ${caseSeq}` } });
  return db().application.create({
    data: {
      caseNumber,
      kind: 'training',
      personId: person.id,
      courseId: extra.courseId ?? trainingId,
      status,
      groupId: extra.groupId,
      answers: { workplace: `Förskolan Solen ${caseSeq}` },
      idempotencyKey: `test-${caseNumber}`,
      workflowId: professionalEnrolmentWorkflowId(caseNumber),
    },
    include: { person: true },
  });
}

async function group(name = `Grupp ${randomUUID().slice(0, 6)}`, courseId = trainingId) {
  return db().supervisionGroup.create({ data: { courseId, name } });
}

/** The enrolment workflow, started where the manager has just consented. */
async function startConsentedWorkflow(application: { id: string; caseNumber: string; courseId: string }, status: 'consented' | 'admitted' = 'consented') {
  const state = {
    caseNumber: application.caseNumber,
    status,
    waitingFor: status === 'consented' ? 'admission' : 'training',
    consentRequestedAt: new Date().toISOString(),
    consentReminded: false,
    openInvoices: [],
    certificateNumber: null,
    noticesSent: ['confirmation', 'consentApproved'],
    updatedAt: new Date().toISOString(),
  } as ProfessionalEnrolmentState;
  return stack.deps.temporal.workflow.start(PROFESSIONAL_ENROLMENT, {
    taskQueue: stack.deps.config.TEMPORAL_TASK_QUEUE,
    workflowId: professionalEnrolmentWorkflowId(application.caseNumber),
    args: [{ caseNumber: application.caseNumber, applicationId: application.id, courseId: application.courseId, state }],
  });
}

describe('access', () => {
  it('lists only the instructor’s own trainings; the admin sees all', async () => {
    const mine = await (await instructor.get('/instruktor')).text();
    expect(mine).toContain(`href="${base()}"`);
    expect(mine).not.toContain(otherTrainingId);
    const all = await (await admin.get('/instruktor')).text();
    expect(all).toContain(trainingId);
    expect(all).toContain(otherTrainingId);
  });

  it('answers 404 to an instructor of another training on every page and action, and stores nothing', async () => {
    const a = await trainingApplication('admitted');
    const g = await group();
    const gets = [base(), `${base()}/ansokningar/${a.caseNumber}`, `${base()}/traffar/${sessionId}/narvaro`];
    for (const path of gets) expect((await otherInstructor.get(path)).status, path).toBe(404);
    const posts: [string, Record<string, string>][] = [
      [`${base()}/grupper`, { name: 'Intrång' }],
      [`${base()}/ansokningar/${a.caseNumber}/beslut`, { decision: 'admit', groupId: g.id }],
      [`${base()}/deltagare/${a.caseNumber}/godkand`, { approved: '1' }],
      [`${base()}/traffar/${sessionId}/narvaro`, { [`n-${a.id}`]: 'present' }],
      [`${base()}/meddelande`, { to: 'all', subject: 'Hej', body: 'Intrång' }],
    ];
    for (const [path, form] of posts) expect((await otherInstructor.post(path, form)).status, path).toBe(404);
    expect(await db().supervisionGroup.count({ where: { name: 'Intrång' } })).toBe(0);
    expect(await db().attendance.count({ where: { applicationId: a.id } })).toBe(0);
    expect((await db().application.findUniqueOrThrow({ where: { id: a.id } })).approvedAt).toBeNull();
    expect(await db().caseEvent.count({ where: { applicationId: a.id } })).toBe(0);
    // A session of another training under my training's address is just as missing.
    expect((await instructor.get(`${base()}/traffar/${otherSessionId}/narvaro`)).status).toBe(404);
    expect((await instructor.get(`/instruktor/utbildningar/${otherTrainingId}`)).status).toBe(404);
    expect((await instructor.get('/instruktor/utbildningar/inte-ett-id')).status).toBe(404);
  });

  it('answers 403 to a parent and sends a visitor to the login', async () => {
    expect((await parent.get('/instruktor')).status).toBe(403);
    expect((await parent.get(base())).status).toBe(403);
    expect((await parent.post(`${base()}/grupper`, { name: 'Föräldragrupp' })).status).toBe(403);
    expect((await new WebClient(app).get(base())).status).toBe(303);
  });
});

describe('supervision groups', () => {
  it('creates a group and shows it', async () => {
    const res = await instructor.post(`${base()}/grupper`, { name: '  Grupp Norr  ' });
    expect(res.status).toBe(303);
    const html = await (await instructor.get(res.headers.get('location')!)).text();
    expect(html).toContain('Handledningsgruppen är skapad.');
    expect(html).toContain('<caption>Grupp Norr (0)</caption>');
    expect(await db().supervisionGroup.count({ where: { courseId: trainingId, name: 'Grupp Norr' } })).toBe(1);
  });

  for (const [what, name, message] of [
    ['an empty name', '   ', 'Fyll i fältet.'],
    ['a name over 80 characters', 'x'.repeat(81), 'Namnet får vara högst 80 tecken.'],
    ['a name the training already has', 'Grupp Dubblett', 'Utbildningen har redan en grupp med det namnet.'],
  ] as const) {
    it(`refuses ${what} with the message beside the field`, async () => {
      await db().supervisionGroup.upsert({ where: { courseId_name: { courseId: trainingId, name: 'Grupp Dubblett' } }, create: { courseId: trainingId, name: 'Grupp Dubblett' }, update: {} });
      const before = await db().supervisionGroup.count();
      const res = await instructor.post(`${base()}/grupper`, { name });
      expect(res.status).toBe(422);
      expect(await res.text()).toMatch(new RegExp(`<p class="error-text" id="f-name-error">.*${message}</p>`));
      expect(await db().supervisionGroup.count()).toBe(before);
    });
  }

  it('lets another training use the same group name', async () => {
    await group('Grupp Delad', otherTrainingId);
    expect((await instructor.post(`${base()}/grupper`, { name: 'Grupp Delad' })).status).toBe(303);
  });
});

describe('admitting and queueing', () => {
  it('lists consented applications waiting for admission with their workplace, not others', async () => {
    const waiting = await trainingApplication('consented');
    const notYet = await trainingApplication('awaitingConsent');
    const html = await (await instructor.get(base())).text();
    expect(html).toContain(waiting.caseNumber);
    expect(html).toContain(`Förskolan Solen ${waiting.caseNumber.slice(-2).replace(/^0/, '')}`);
    expect(html).not.toContain(notYet.caseNumber);
  });

  it('admits to a group through the enrolment workflow, which stores the group', async () => {
    const a = await trainingApplication('consented');
    const g = await group();
    const handle = await startConsentedWorkflow(a);
    const res = await instructor.post(`${base()}/ansokningar/${a.caseNumber}/beslut`, { decision: 'admit', groupId: g.id });
    expect(res.status).toBe(303);
    expect(await (await instructor.get(res.headers.get('location')!)).text()).toContain(`${a.caseNumber} är antagen.`);
    const row = await db().application.findUniqueOrThrow({ where: { id: a.id } });
    expect(row).toMatchObject({ status: 'admitted', groupId: g.id });
    expect((await handle.query(enrolmentStatusQuery)).status).toBe('admitted');
    const html = await (await instructor.get(base())).text();
    expect(html).toContain(`<caption>${g.name} (1)</caption>`);
  });

  it('queues with a reason through the workflow and shows the place in the queue', async () => {
    const a = await trainingApplication('consented');
    await startConsentedWorkflow(a);
    const res = await instructor.post(`${base()}/ansokningar/${a.caseNumber}/beslut`, { decision: 'queue', reason: 'Gruppen är full denna termin.' });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toMatch(/koad=KOM-2026-9\d{5}&plats=\d+/);
    expect(await (await instructor.get(res.headers.get('location')!)).text()).toMatch(/står i kö på plats \d+/);
    expect(await db().application.findUniqueOrThrow({ where: { id: a.id } })).toMatchObject({ status: 'queued', queueReason: 'Gruppen är full denna termin.' });
  });

  it('shows the workflow’s refusal when the training is full, and nothing changes', async () => {
    const full = await db().course.create({ data: { kind: 'training', title: 'Full utbildning', capacity: 0 } });
    await db().roleGrant.create({ data: { personId: instructorId, role: 'instructor', courseId: full.id } });
    const a = await trainingApplication('consented', { courseId: full.id });
    const g = await group('Grupp Full', full.id);
    await startConsentedWorkflow(a);
    const res = await instructor.post(`/instruktor/utbildningar/${full.id}/ansokningar/${a.caseNumber}/beslut`, { decision: 'admit', groupId: g.id });
    expect(res.status).toBe(422);
    expect(await res.text()).toContain('Det finns ingen ledig plats: alla platser är tagna eller erbjudna.');
    expect((await db().application.findUniqueOrThrow({ where: { id: a.id } })).status).toBe('consented');
  });

  it('shows a clear error, not a 500, when the workflow cannot be reached', async () => {
    const a = await trainingApplication('consented');
    const g = await group();
    const res = await instructor.post(`${base()}/ansokningar/${a.caseNumber}/beslut`, { decision: 'admit', groupId: g.id });
    // No workflow runs for this case: 503 with Retry-After, a clear page, nothing changed.
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBe('10');
    expect(await res.text()).toContain('Ärendets process har inte startat än. Försök igen om en stund.');
    expect((await db().application.findUniqueOrThrow({ where: { id: a.id } })).status).toBe('consented');
  });

  it('refuses bad input beside the field and asks nothing of the workflow', async () => {
    const a = await trainingApplication('consented');
    const foreign = await group('Grupp Främmande', otherTrainingId);
    const cases: [Record<string, string>, string, string][] = [
      [{ decision: 'queue', reason: '  ' }, 'reason', 'Skriv ett skäl till att den sökande sätts i kö.'],
      [{ decision: 'queue', reason: 'x'.repeat(501) }, 'reason', 'Skälet får vara högst 500 tecken.'],
      [{ decision: 'admit' }, 'groupId', 'Välj en handledningsgrupp.'],
      [{ decision: 'admit', groupId: foreign.id }, 'groupId', 'Välj en handledningsgrupp.'],
    ];
    for (const [form, field, message] of cases) {
      const res = await instructor.post(`${base()}/ansokningar/${a.caseNumber}/beslut`, form);
      expect(res.status).toBe(422);
      expect(await res.text()).toMatch(new RegExp(`<p class="error-text" id="f-${field}-error">.*${message}</p>`));
    }
    expect(await db().application.findUniqueOrThrow({ where: { id: a.id } })).toMatchObject({ status: 'consented', groupId: null, queueReason: null });
  });
});

describe('attendance', () => {
  it('lists the admitted participants, stores the marks and shows them again', async () => {
    const g = await group();
    const [p1, p2] = [await trainingApplication('admitted', { groupId: g.id }), await trainingApplication('admitted', { groupId: g.id })];
    const waiting = await trainingApplication('consented');
    const path = `${base()}/traffar/${startedSessionId}/narvaro`;
    const page = await (await instructor.get(path)).text();
    expect(page).toContain(`name="n-${p1.id}"`);
    expect(page).not.toContain(`name="n-${waiting.id}"`);
    const res = await instructor.post(path, { [`n-${p1.id}`]: 'present', [`n-${p2.id}`]: 'absent' });
    expect(res.status).toBe(303);
    const rows = await db().attendance.findMany({ where: { sessionId: startedSessionId, applicationId: { in: [p1.id, p2.id] } } });
    expect(rows.map((r) => [r.applicationId, r.present, r.markedById]).sort()).toEqual([[p1.id, true, instructorId], [p2.id, false, instructorId]].sort());
    const again = await (await instructor.get(res.headers.get('location')!)).text();
    expect(again).toContain('Närvaron är sparad.');
    expect(again).toMatch(new RegExp(`name="n-${p1.id}" value="present" checked`));
    expect(again).toMatch(new RegExp(`name="n-${p2.id}" value="absent" checked`));
    // Changing a mark updates the same row.
    await instructor.post(path, { [`n-${p2.id}`]: 'present' });
    expect((await db().attendance.findUniqueOrThrow({ where: { sessionId_applicationId: { sessionId: startedSessionId, applicationId: p2.id } } })).present).toBe(true);
  });

  it('refuses attendance for a session that has not started with 422 and the time it opens, storing nothing', async () => {
    const participant = await trainingApplication('admitted');
    const path = `${base()}/traffar/${sessionId}/narvaro`;
    const session = await db().courseSession.findUniqueOrThrow({ where: { id: sessionId } });
    const opens = formatDateTime(session.startsAt, 'sv');

    // Ahead of the session the page says when it can be filled in, and offers no form.
    const page = await (await instructor.get(path)).text();
    expect(page).toContain('Träffen har inte börjat än. Närvaron registreras när träffen har börjat.');
    expect(page).toContain(`Formuläret öppnas ${opens}`);
    expect(page).not.toContain(`name="n-${participant.id}"`);
    expect(page).not.toContain(`action="${path}"`);

    const res = await instructor.post(path, { [`n-${participant.id}`]: 'present' });
    expect(res.status).toBe(422);
    const refused = await res.text();
    expect(refused).toContain('Träffen har inte börjat än. Närvaron registreras när träffen har börjat.');
    expect(refused).toContain(`Formuläret öppnas ${opens}. Inget sparades.`);
    expect(await db().attendance.count({ where: { sessionId } })).toBe(0);

    await instructor.get('/?lang=en');
    const english = await instructor.post(path, { [`n-${participant.id}`]: 'present' });
    await instructor.get('/?lang=sv');
    expect(english.status).toBe(422);
    expect(await english.text()).toContain(`The session has not started yet. Attendance is registered once the session has started. The form opens ${formatDateTime(session.startsAt, 'en')}. Nothing was saved.`);
    expect(await db().attendance.count({ where: { sessionId } })).toBe(0);
  });

  it('refuses a mark for someone not admitted in this training with 422 and stores nothing', async () => {
    const admitted = await trainingApplication('admitted');
    const waiting = await trainingApplication('consented');
    const elsewhere = await trainingApplication('admitted', { courseId: otherTrainingId });
    const path = `${base()}/traffar/${startedSessionId}/narvaro`;
    for (const stranger of [waiting, elsewhere]) {
      const res = await instructor.post(path, { [`n-${admitted.id}`]: 'present', [`n-${stranger.id}`]: 'present' });
      expect(res.status).toBe(422);
      expect(await res.text()).toContain('Närvaron gäller någon som inte är antagen i utbildningen. Inget sparades.');
    }
    const bad = await instructor.post(path, { [`n-${admitted.id}`]: 'kanske' });
    expect(bad.status).toBe(422);
    expect(await db().attendance.count({ where: { applicationId: { in: [admitted.id, waiting.id, elsewhere.id] } } })).toBe(0);
  });
});

describe('writing to participants', () => {
  it('stores the message in each admitted participant’s case of the group and e-mails the text', async () => {
    const g = await group();
    const inGroup = await trainingApplication('admitted', { groupId: g.id });
    const outside = await trainingApplication('admitted');
    const res = await instructor.post(`${base()}/meddelande`, { to: g.id, subject: 'Inför träff 2', body: 'Ta med er fallbeskrivning.' });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toContain('skickat=1');
    const event = await db().caseEvent.findFirstOrThrow({ where: { applicationId: inGroup.id, type: 'message' } });
    expect(event).toMatchObject({ actor: instructorId, data: { body: 'Ta med er fallbeskrivning.', from: 'staff', subject: 'Inför träff 2' } });
    expect(await db().caseEvent.count({ where: { applicationId: outside.id, type: 'message' } })).toBe(0);
    const mail = await db().notification.findUniqueOrThrow({ where: { idempotencyKey: `instructor-mail:${event.id}` } });
    expect(mail).toMatchObject({ recipient: inGroup.person.email, subject: 'Inför träff 2' });
    expect(mail.body).toContain('Ta med er fallbeskrivning.');
  });

  it('writes to every admitted participant of the training', async () => {
    const admitted = await db().application.count({ where: { courseId: trainingId, status: 'admitted' } });
    const res = await instructor.post(`${base()}/meddelande`, { to: 'all', subject: 'Till alla', body: 'Lokalen är ändrad.' });
    expect(res.headers.get('location')).toContain(`skickat=${admitted}`);
    expect(await db().caseEvent.count({ where: { type: 'message', application: { courseId: trainingId }, data: { path: ['subject'], equals: 'Till alla' } } })).toBe(admitted);
  });

  it('refuses a missing subject, an overlong subject or body, and a foreign group, storing nothing', async () => {
    await trainingApplication('admitted');
    const foreign = await group('Grupp Utanför', otherTrainingId);
    const before = await db().caseEvent.count({ where: { type: 'message' } });
    const cases: [Record<string, string>, string][] = [
      [{ to: 'all', subject: ' ', body: 'Text' }, 'subject'],
      [{ to: 'all', subject: 'x'.repeat(151), body: 'Text' }, 'subject'],
      [{ to: 'all', subject: 'Hej', body: 'x'.repeat(4001) }, 'body'],
      [{ to: foreign.id, subject: 'Hej', body: 'Text' }, 'to'],
    ];
    for (const [form, field] of cases) {
      const res = await instructor.post(`${base()}/meddelande`, form);
      expect(res.status).toBe(422);
      expect(await res.text()).toContain(`id="f-${field}-error"`);
    }
    expect(await db().caseEvent.count({ where: { type: 'message' } })).toBe(before);
  });
});

describe('compiled evaluations', () => {
  it('links each session to the results page, which the instructor may open; another instructor gets 404', async () => {
    const html = await (await instructor.get(base())).text();
    expect(html).toContain(`href="/personal/kurser/${trainingId}/utvardering"`);
    expect((await instructor.get(`/personal/kurser/${trainingId}/utvardering`)).status).toBe(200);
    expect((await otherInstructor.get(`/personal/kurser/${trainingId}/utvardering`)).status).toBe(404);
  });
});

describe('approval for the certificate', () => {
  it('sets and clears approvedAt with a case event each time, only once the training is completed', async () => {
    const course = await db().course.create({ data: { kind: 'training', title: 'Komet gruppledarutbildning (godkännande)', capacity: 5 } });
    await db().roleGrant.create({ data: { personId: instructorId, role: 'instructor', courseId: course.id } });
    const session = await db().courseSession.create({
      data: { courseId: course.id, startsAt: new Date(Date.now() + 7 * 86_400_000), endsAt: new Date(Date.now() + 7 * 86_400_000 + 3 * 3_600_000) },
    });
    const a = await trainingApplication('admitted', { courseId: course.id, groupId: (await group(undefined, course.id)).id });
    await startConsentedWorkflow(a, 'admitted');
    const trainingBase = `/instruktor/utbildningar/${course.id}`;
    const path = `${trainingBase}/deltagare/${a.caseNumber}/godkand`;

    // Before the training has taken place "Godkänd" is refused, and says why (rules/training.ts).
    const early = await instructor.post(path, { approved: '1' });
    expect(early.status).toBe(303);
    expect(early.headers.get('location')).toContain('nekad=training-not-finished');
    expect(await (await instructor.get(early.headers.get('location')!)).text()).toContain('Utbildningen är inte slut än.');
    expect((await db().application.findUniqueOrThrow({ where: { id: a.id } })).approvedAt).toBeNull();

    // The training took place and attendance was registered: now it is taken.
    await db().courseSession.update({ where: { id: session.id }, data: { startsAt: new Date(Date.now() - 5 * 3_600_000), endsAt: new Date(Date.now() - 2 * 3_600_000) } });
    await db().attendance.create({ data: { sessionId: session.id, applicationId: a.id, present: true, markedById: instructorId } });
    expect((await instructor.post(path, { approved: '1' })).headers.get('location')).toContain('godkand=1');
    expect((await db().application.findUniqueOrThrow({ where: { id: a.id } })).approvedAt).toBeInstanceOf(Date);
    const html = await (await instructor.get(trainingBase)).text();
    expect(html).toContain(`Ta bort godkännandet för ${a.person.name}`);
    expect((await instructor.post(path, { approved: '0' })).headers.get('location')).toContain('godkand=0');
    expect((await db().application.findUniqueOrThrow({ where: { id: a.id } })).approvedAt).toBeNull();
    const events = await db().caseEvent.findMany({ where: { applicationId: a.id, type: 'training.approved' }, orderBy: { createdAt: 'asc' } });
    expect(events.map((e) => e.data)).toEqual([{ approved: true }, { approved: false }]);
  });

  it('refuses to approve someone not admitted, and bad input', async () => {
    const waiting = await trainingApplication('consented');
    expect((await instructor.post(`${base()}/deltagare/${waiting.caseNumber}/godkand`, { approved: '1' })).status).toBe(404);
    const a = await trainingApplication('admitted');
    expect((await instructor.post(`${base()}/deltagare/${a.caseNumber}/godkand`, { approved: 'ja' })).status).toBe(400);
    expect(await db().application.count({ where: { id: { in: [waiting.id, a.id] }, approvedAt: { not: null } } })).toBe(0);
  });
});
