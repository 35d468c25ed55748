// Surveys (R2.7, R3.5, R4.3, R4.4, R5.6): a parent answers once through the link's token, every bad
// answer is refused with a message beside its question and nothing stored; the leader or guide of
// the course reads compiled, anonymous results, pre/post pairs give the effect; others get 404.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSurveyInvitations, type SurveyKind } from '../../lib/surveys/invitations';
import { DEMO_STAFF } from '../../prisma/seed';
import { createApp } from '../../web/app';
import { parentApplicationWorkflowId, statusQuery } from '../../workflows/parentApplication.messages';
import { eventually } from '../support/eventually';
import { createCitizen, startStack, TEST_PERSONNUMMER, type TestStack } from '../support/stack';
import { VALID_FORM, WebClient } from '../support/webClient';

let stack: TestStack;
let app: ReturnType<typeof createApp>;
let sodermalmCourseId: string;
let sessionIds: string[];
let caseSerial = 900_000;

beforeAll(async () => {
  stack = await startStack();
  app = createApp(stack.deps);
  const course = await stack.deps.db.course.findFirstOrThrow({
    where: { district: { slug: 'sodermalm' }, language: 'sv' },
    include: { sessions: { orderBy: { startsAt: 'asc' } } },
  });
  sodermalmCourseId = course.id;
  sessionIds = course.sessions.map((s) => s.id);
});
afterAll(async () => stack?.stop());

/** An admitted case without a workflow: the answer's signal to it is best effort and fails quietly. */
async function newCase(courseId = sodermalmCourseId, kind: 'groupCourse' | 'webCourse' = 'groupCourse') {
  const person = await createCitizen(stack.deps);
  const application = await stack.deps.db.application.create({
    data: {
      caseNumber: `KOM-2026-${caseSerial++}`,
      kind,
      personId: person.id,
      courseId,
      status: 'admitted',
      answers: {},
      idempotencyKey: randomUUID(),
      workflowId: `survey-test-${randomUUID()}`,
    },
  });
  return { person, application };
}

async function invite(kind: SurveyKind, opts: { courseId?: string; sessionId?: string | null; moduleNumber?: number | null } = {}) {
  const { application, person } = await newCase(opts.courseId);
  const [invitation] = await openSurveyInvitations(stack.deps.db, stack.deps.config.sessionSecret, {
    applicationId: application.id,
    courseId: application.courseId,
    sessionId: opts.sessionId ?? null,
    moduleNumber: opts.moduleNumber ?? null,
    kinds: [kind],
    dedupePrefix: `test:${application.id}`,
  });
  return { invitation, application, person };
}

const EVALUATION = { useful: '5', understood: '4', listenedTo: '5', willTry: '3', best: 'Rollspelen', improve: '' };
const BEHAVIOUR = { childListens: '2', childCalms: '3', childGetsAlong: '3', parentPraises: '2', parentCalm: '2', parentConfident: '3', everydayWorks: '2' };

const responsesFor = (courseId: string) => stack.deps.db.surveyResponse.count({ where: { courseId } });

describe('answering a survey', () => {
  it('shows the form without login, with a fieldset and legend per scale question, in Swedish and English', async () => {
    const { invitation } = await invite('sessionEvaluation', { sessionId: sessionIds[0] });
    const res = await new WebClient(app).get(`/enkat/${invitation.token}`);
    expect(res.status).toBe(200);
    const page = await res.text();
    expect(page).toContain('<legend>Hur användbart var dagens tema för dig och din vardag?');
    expect(page).toContain('name="useful" value="5"');
    expect(page).toContain('1 – Inte alls');
    expect(page).toContain('<textarea id="f-best" name="best"');
    const english = await (await new WebClient(app).get(`/enkat/${invitation.token}?lang=en`)).text();
    expect(english).toContain('How useful was today&#39;s theme for you and your everyday life?');
    expect(english).toContain('Send answers');
  });

  it('stores one anonymous response, marks the invitation used and says thank you', async () => {
    const sessionId = sessionIds[1];
    const { invitation } = await invite('sessionEvaluation', { sessionId });
    const res = await new WebClient(app).post(`/enkat/${invitation.token}`, EVALUATION);
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('Tack för dina svar!');

    const rows = await stack.deps.db.surveyResponse.findMany({ where: { sessionId } });
    expect(rows).toHaveLength(1);
    const row = rows[0];
    expect(row).toEqual({
      id: expect.any(String),
      surveyId: invitation.surveyId,
      courseId: sodermalmCourseId,
      sessionId,
      moduleNumber: null,
      answers: { useful: 5, understood: 4, listenedTo: 5, willTry: 3, best: 'Rollspelen' },
      pairingCode: null,
      answeredOn: expect.any(Date),
    });
    expect(row.answeredOn.toISOString()).toMatch(/T00:00:00\.000Z$/);
    expect((await stack.deps.db.surveyInvitation.findUniqueOrThrow({ where: { id: invitation.id } })).used).toBe(true);
  });

  it('answering twice says so clearly and keeps the one response', async () => {
    const { invitation } = await invite('progress', { sessionId: sessionIds[2] });
    const answers = { praise: '4', clearRequests: '3', ownTime: '5', stayedCalm: '2', hardest: '' };
    const client = new WebClient(app);
    expect((await client.post(`/enkat/${invitation.token}`, answers)).status).toBe(200);
    const count = await responsesFor(sodermalmCourseId);

    const again = await client.post(`/enkat/${invitation.token}`, answers);
    expect(again.status).toBe(409);
    expect(await again.text()).toContain('Du har redan svarat på den här enkäten');
    expect(await responsesFor(sodermalmCourseId)).toBe(count);
    expect(await (await client.get(`/enkat/${invitation.token}`)).text()).toContain('Du har redan svarat på den här enkäten');
  });

  const BAD: [string, SurveyKind, Record<string, string | string[]>, string, string][] = [
    ['a missing required answer', 'sessionEvaluation', { ...EVALUATION, useful: '' }, 'useful', 'Svara på frågan.'],
    ['scale 0', 'sessionEvaluation', { ...EVALUATION, understood: '0' }, 'understood', 'Välj en siffra mellan 1 och 5.'],
    ['scale 6', 'sessionEvaluation', { ...EVALUATION, understood: '6' }, 'understood', 'Välj en siffra mellan 1 och 5.'],
    ['a scale answer that is not a number', 'sessionEvaluation', { ...EVALUATION, willTry: 'many' }, 'willTry', 'Välj en siffra mellan 1 och 5.'],
    ['a text over 2000 characters', 'sessionEvaluation', { ...EVALUATION, best: 'x'.repeat(2001) }, 'best', 'Texten får vara högst 2000 tecken.'],
    ['two values for a one-value question', 'sessionEvaluation', { ...EVALUATION, useful: ['4', '5'] }, 'useful', 'Svaret är inte giltigt.'],
    [
      'an option not in the list',
      'childBehaviour',
      { listens: '3', outbursts: '3', considerate: '3', conflictFrequency: 'hourly', hardestSituation: 'meals' },
      'conflictFrequency',
      'Välj ett av svarsalternativen.',
    ],
    ['a malformed pairing code', 'postMeasurement', { ...BEHAVIOUR, pairingCode: 'ABC' }, 'pairingCode', 'Koden ska ha 8 tecken'],
  ];

  it.each(BAD)('refuses %s with a message beside the question, stores nothing and leaves the invitation open', async (_, kind, form, field, message) => {
    const { invitation } = await invite(kind, { sessionId: sessionIds[3] });
    const count = await responsesFor(sodermalmCourseId);
    const client = new WebClient(app);
    await client.get('/');
    const body = new URLSearchParams({ _csrf: client.cookie('komet_csrf')! });
    for (const [k, v] of Object.entries(form)) for (const one of [v].flat()) body.append(k, one);
    const res = await app.request(`/enkat/${invitation.token}`, {
      method: 'POST',
      body,
      headers: { cookie: `komet_csrf=${client.cookie('komet_csrf')}`, origin: 'http://localhost', 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(res.status).toBe(422);
    const page = await res.text();
    expect(page).toMatch(new RegExp(`id="f-${field}-error"><span class="visually-hidden">Fel: </span>${message.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
    expect(page).toContain('href="#f-' + field + '"');
    expect(await responsesFor(sodermalmCourseId)).toBe(count);
    expect((await stack.deps.db.surveyInvitation.findUniqueOrThrow({ where: { id: invitation.id } })).used).toBe(false);
  });

  it('keeps the given answers when it re-renders the form', async () => {
    const { invitation } = await invite('courseEvaluation');
    const res = await new WebClient(app).post(`/enkat/${invitation.token}`, { overall: '4', support: '', confident: '5', recommend: '5', helped: 'praise', comments: 'Bra kurs' });
    expect(res.status).toBe(422);
    const page = await res.text();
    expect(page).toMatch(/id="f-overall-4"[^>]*name="overall" value="4" checked/);
    expect(page).toMatch(/name="helped" value="praise" checked/);
    expect(page).toContain('>Bra kurs</textarea>');
  });

  it('tells the case workflow which kind was answered, and nothing more', async () => {
    const parent = await WebClient.loggedIn(app, stack.deps.db, `signal-${randomUUID().slice(0, 8)}@example.org`);
    const applied = await parent.post(`/kurser/${sodermalmCourseId}/ansok`, { ...VALID_FORM, personnummer: TEST_PERSONNUMMER[1], submissionKey: randomUUID() });
    const caseNumber = /KOM-\d{4}-\d{6}/.exec(applied.headers.get('location') ?? '')![0];
    const handle = stack.deps.temporal.workflow.getHandle(parentApplicationWorkflowId(caseNumber));
    await eventually(async () => expect((await handle.query(statusQuery)).status).toBeTruthy());
    const application = await stack.deps.db.application.findUniqueOrThrow({ where: { caseNumber } });
    const [invitation] = await openSurveyInvitations(stack.deps.db, stack.deps.config.sessionSecret, {
      applicationId: application.id,
      courseId: application.courseId,
      sessionId: sessionIds[4],
      kinds: ['sessionEvaluation'],
      dedupePrefix: `signal:${application.id}`,
    });
    expect((await parent.post(`/enkat/${invitation.token}`, EVALUATION)).status).toBe(200);

    const signal = await eventually(async () => {
      const history = await handle.fetchHistory();
      const event = history.events?.find((e) => e.workflowExecutionSignaledEventAttributes?.signalName === 'surveyAnswered');
      expect(event).toBeDefined();
      return event!.workflowExecutionSignaledEventAttributes!;
    });
    const payloads = signal.input?.payloads ?? [];
    expect(payloads.map((p) => JSON.parse(Buffer.from(p.data!).toString('utf8')))).toEqual([{ kind: 'sessionEvaluation' }]);
  });

  it('answers 404 to an unknown or malformed token', async () => {
    const client = new WebClient(app);
    expect((await client.get(`/enkat/${'A'.repeat(32)}`)).status).toBe(404);
    expect((await client.get('/enkat/not-a-token')).status).toBe(404);
    expect((await client.post(`/enkat/${'B'.repeat(32)}`, EVALUATION)).status).toBe(404);
  });
});

describe('"Mina ärenden"', () => {
  it('lists the open surveys with a link, answered ones as Besvarad, and an empty state', async () => {
    const { application, person } = await newCase();
    const parent = await WebClient.loggedIn(app, stack.deps.db, person.email);
    const empty = await (await parent.get(`/mina-arenden/${application.caseNumber}`)).text();
    expect(empty).toContain('Du har inga enkäter just nu.');

    const [evaluation, progress] = await openSurveyInvitations(stack.deps.db, stack.deps.config.sessionSecret, {
      applicationId: application.id,
      courseId: application.courseId,
      sessionId: sessionIds[0],
      kinds: ['sessionEvaluation', 'progress'],
      dedupePrefix: `mine:${application.id}`,
    });
    await parent.post(`/enkat/${evaluation.token}`, EVALUATION);
    const page = await (await parent.get(`/mina-arenden/${application.caseNumber}`)).text();
    expect(page).toContain(`href="/enkat/${progress.token}"`);
    expect(page).not.toContain(`href="/enkat/${evaluation.token}"`);
    expect(page).toMatch(/Utvärdering av träffen – träffen [^<]+<span class="badge badge-admitted">Besvarad/);
  });
});

describe('compiled results', () => {
  let leader: WebClient;
  let courseId: string;
  let firstSession: string;
  let secondSession: string;

  beforeAll(async () => {
    leader = await WebClient.loggedIn(app, stack.deps.db, DEMO_STAFF.leaderSodermalm);
    // A course of its own, so the other tests' answers do not mix in.
    const source = await stack.deps.db.course.findFirstOrThrow({ where: { district: { slug: 'sodermalm' }, language: 'en' }, include: { sessions: { orderBy: { startsAt: 'asc' } } } });
    courseId = source.id;
    [firstSession, secondSession] = source.sessions.map((s) => s.id);
    const answers = [
      { ...EVALUATION, useful: '5', understood: '4', listenedTo: '5', willTry: '4', best: 'Övningarna' },
      { ...EVALUATION, useful: '4', understood: '4', listenedTo: '4', willTry: '4', best: 'Att höra andra' },
      { ...EVALUATION, useful: '3', understood: '2', listenedTo: '5', willTry: '5', best: '' },
    ];
    for (const form of answers) {
      const { invitation } = await invite('sessionEvaluation', { courseId, sessionId: firstSession });
      expect((await new WebClient(app).post(`/enkat/${invitation.token}`, form)).status).toBe(200);
    }
    await invite('sessionEvaluation', { courseId, sessionId: firstSession }); // asked, not answered
    const { invitation: lone } = await invite('sessionEvaluation', { courseId, sessionId: secondSession });
    await new WebClient(app).post(`/enkat/${lone.token}`, { ...EVALUATION, best: 'Ensamt svar som inte får visas' });
  });

  it('shows averages, the distribution 1–5, free texts and the response rate per session', async () => {
    const res = await leader.get(`/personal/kurser/${courseId}/utvardering`);
    expect(res.status).toBe(200);
    const page = await res.text();
    const first = page.slice(page.indexOf('id="occ-s'), page.indexOf('id="occ-s', page.indexOf('id="occ-s') + 1));
    expect(first).toContain('3 svar av 4 tillfrågade (75\u00a0%)');
    // useful: 5, 4, 3 → mean 4,0; one each of 3, 4 and 5.
    expect(first).toMatch(/data-question="useful">.*?<td data-mean>4,0<\/td><td>3<\/td><td>0<\/td><td>0<\/td><td>1<\/td><td>1<\/td><td>1<\/td>/s);
    // understood: 4, 4, 2 → 3,3.
    expect(first).toMatch(/data-question="understood">.*?<td data-mean>3,3<\/td>/s);
    expect(first).toContain('<ul class="free-texts" data-question="best"><li>Att höra andra</li><li>Övningarna</li></ul>');

    const second = page.slice(page.indexOf('id="occ-s', page.indexOf('id="occ-s') + 1));
    expect(second).toContain('1 svar av 1 tillfrågade (100\u00a0%)');
    expect(second).toContain('För få svar för att visa');
    expect(page).not.toContain('Ensamt svar som inte får visas');
  });

  it('summarises programme fidelity per session as an accessible SVG chart and a table with the same numbers', async () => {
    const page = await (await leader.get(`/personal/kurser/${courseId}/utvardering`)).text();
    expect(page).toMatch(/<svg class="chart" role="img" aria-labelledby="fidelity-title fidelity-desc"/);
    expect(page).toContain('<title id="fidelity-title">Programtrohet per träff</title>');
    // Session 1: the mean of all twelve scale answers (5+4+5+4 + 4+4+4+4 + 3+2+5+5 = 49) / 12 = 4,1.
    const table = page.slice(page.indexOf('id="fidelity-table"'), page.indexOf('</table>', page.indexOf('id="fidelity-table"')));
    expect(table).toMatch(/Träff 1,[^<]*<\/th><td>3<\/td><td>4,1<\/td>/);
    expect(table).toMatch(/Träff 2,[^<]*<\/th><td>1<\/td><td>För få svar<\/td>/);
    expect(page).toMatch(/<text[^>]*>4,1<\/text>/);
  });

  it('is linked from the applications page and answers 404 to another district’s leader and to unknown courses', async () => {
    expect(await (await leader.get('/personal/ansokningar')).text()).toContain(`href="/personal/kurser/${courseId}/utvardering"`);
    const other = await WebClient.loggedIn(app, stack.deps.db, DEMO_STAFF.leaderRinkeby);
    expect((await other.get(`/personal/kurser/${courseId}/utvardering`)).status).toBe(404);
    expect((await leader.get(`/personal/kurser/${randomUUID()}/utvardering`)).status).toBe(404);
    expect((await leader.get('/personal/kurser/nope/utvardering')).status).toBe(404);
    const parent = await WebClient.loggedIn(app, stack.deps.db, (await createCitizen(stack.deps)).email);
    expect((await parent.get(`/personal/kurser/${courseId}/utvardering`)).status).toBe(403);
  });
});

describe('web course: pre/post pairing and the guide’s compilation', () => {
  it('pairs pre- and post-measurements by the parent’s code and shows the mean change per question', async () => {
    const db = stack.deps.db;
    const course = await db.course.create({ data: { kind: 'webCourse', title: 'Webbkurs för test', capacity: 20 } });
    await db.courseModule.create({ data: { courseId: course.id, number: 1, title: 'Egen tid', body: 'Text' } });
    const guidePerson = await db.person.create({ data: { email: `guide-${randomUUID().slice(0, 8)}@komet.example`, name: 'Guide Test' } });
    await db.roleGrant.create({ data: { personId: guidePerson.id, role: 'guide', courseId: course.id } });

    // Three parents: before 2 → after 4, before 3 → after 4, before 1 → after 4 on childListens.
    const before = ['2', '3', '1'];
    const codes: string[] = [];
    for (const value of before) {
      const { invitation } = await invite('preMeasurement', { courseId: course.id });
      const thanks = await (await new WebClient(app).post(`/enkat/${invitation.token}`, { ...BEHAVIOUR, childListens: value })).text();
      const code = /data-pairing-code="([A-Z0-9]{4}-[A-Z0-9]{4})"/.exec(thanks)?.[1];
      expect(code).toMatch(/^[A-HJ-KM-NP-Z2-9]{4}-[A-HJ-KM-NP-Z2-9]{4}$/);
      codes.push(code!);
    }
    const stored = await db.surveyResponse.findMany({ where: { courseId: course.id }, select: { pairingCode: true } });
    expect(stored.map((r) => r.pairingCode).sort()).toEqual(codes.map((c) => c.replace('-', '')).sort());

    for (const [i, code] of codes.entries()) {
      const { invitation } = await invite('postMeasurement', { courseId: course.id });
      // The parent may type the code in lower case and without the dash.
      const typed = i === 0 ? code.toLowerCase().replace('-', '') : code;
      expect((await new WebClient(app).post(`/enkat/${invitation.token}`, { ...BEHAVIOUR, childListens: '4', pairingCode: typed })).status).toBe(200);
    }
    // An unknown code is accepted and simply does not pair; no code at all is fine too.
    const { invitation: stray } = await invite('postMeasurement', { courseId: course.id });
    expect((await new WebClient(app).post(`/enkat/${stray.token}`, { ...BEHAVIOUR, childListens: '1', pairingCode: 'ZZZZ-ZZZZ' })).status).toBe(200);
    const { invitation: noCode } = await invite('postMeasurement', { courseId: course.id });
    expect((await new WebClient(app).post(`/enkat/${noCode.token}`, { ...BEHAVIOUR, childListens: '1' })).status).toBe(200);

    const guide = await WebClient.loggedIn(app, db, guidePerson.email);
    const res = await guide.get(`/personal/kurser/${course.id}/utvardering`);
    expect(res.status).toBe(200);
    const page = await res.text();
    expect(page).toContain('Antal par: 3');
    // childListens: before mean 2,0, after 4,0, change +2,0; parentPraises unchanged (2 → 2).
    expect(page).toMatch(/<tr data-question="childListens"><th scope="row">[^<]+<\/th><td>3<\/td><td>2,0<\/td><td>4,0<\/td><td data-change>\+2,0<\/td>/);
    expect(page).toMatch(/<tr data-question="parentPraises">.*?<td data-change>0,0<\/td>/);
    expect(page).toContain('Svar per moment');

    // The guide sees only the courses granted to them.
    expect((await guide.get(`/personal/kurser/${sodermalmCourseId}/utvardering`)).status).toBe(404);
  });
});

describe('versions', () => {
  it('a new version is a new row: new invitations get it, earlier answers keep theirs, and both are compiled apart', async () => {
    const db = stack.deps.db;
    const course = await db.course.findFirstOrThrow({ where: { district: { slug: 'rinkeby-kista' } }, include: { sessions: { orderBy: { startsAt: 'asc' } } } });
    const sessionId = course.sessions[0].id;
    const first = await invite('sessionEvaluation', { courseId: course.id, sessionId });
    await new WebClient(app).post(`/enkat/${first.invitation.token}`, EVALUATION);

    const v2 = await db.surveyDefinition.create({
      data: { kind: 'sessionEvaluation', version: 2, title: 'Utvärdering av träffen', questions: [{ id: 'overallToday', type: 'scale', text: 'Hur var träffen som helhet?', anchors: 'amount', required: true }] },
    });
    const second = await invite('sessionEvaluation', { courseId: course.id, sessionId });
    expect(second.invitation.surveyId).toBe(v2.id);
    expect(await (await new WebClient(app).get(`/enkat/${second.invitation.token}`)).text()).toContain('Hur var träffen som helhet?');
    await new WebClient(app).post(`/enkat/${second.invitation.token}`, { overallToday: '4' });

    const stored = await db.surveyResponse.findMany({ where: { courseId: course.id }, select: { surveyId: true, answers: true } });
    expect(stored).toEqual(
      expect.arrayContaining([
        { surveyId: first.invitation.surveyId, answers: expect.objectContaining({ useful: 5 }) },
        { surveyId: v2.id, answers: { overallToday: 4 } },
      ]),
    );
    const admin = await WebClient.loggedIn(app, db, DEMO_STAFF.admin);
    const page = await (await admin.get(`/personal/kurser/${course.id}/utvardering`)).text();
    expect(page).toContain('Utvärdering av träffen (version 2)');
    expect(page.match(/1 svar av 1 tillfrågade/g)).toHaveLength(2);
  });
});
