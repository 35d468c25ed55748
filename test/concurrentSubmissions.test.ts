// Nothing doubled (issue 14): twenty identical submissions at once, through the API and the web
// form, are one case with one workflow and one confirmation; the partial unique index on the active
// application per person and course makes the losers "already applied". A reused Idempotency-Key
// with another request is refused (422), with the same request it is the same case.
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey } from '../lib/apiKeys';
import { ACTIVE_STATUSES } from '../lib/cases/caseStatus';
import { parentApplicationWorkflowId } from '../workflows/parentApplication.messages';
import { professionalEnrolmentWorkflowId } from '../workflows/professionalEnrolment.messages';
import { createApp } from '../web/app';
import { insertCase, monthsAgo } from './support/caseRows';
import { eventually } from './support/eventually';
import { createCitizen, startStack, type TestStack } from './support/stack';
import { VALID_ENROLMENT_FORM, VALID_FORM, WebClient } from './support/webClient';

let stack: TestStack;
let app: ReturnType<typeof createApp>;
let apiKey: string;
/** One course per test, so that counting a course's workflows counts only that test's. */
let courses: string[];
let trainingId: string;

beforeAll(async () => {
  stack = await startStack();
  app = createApp(stack.deps);
  apiKey = (await createApiKey(stack.deps.db, { name: 'portal', scopes: ['applications:write'] })).key;
  const district = await stack.deps.db.district.findUniqueOrThrow({ where: { slug: 'sodermalm' } });
  courses = [];
  for (let i = 0; i < 10; i++) {
    const course = await stack.deps.db.course.create({ data: { kind: 'groupCourse', title: `Komet testgrupp ${i}`, districtId: district.id, capacity: 12 } });
    courses.push(course.id);
  }
  trainingId = (await stack.deps.db.course.findFirstOrThrow({ where: { kind: 'training', status: 'open' } })).id;
});
afterAll(async () => stack?.stop());

const PARALLEL = 20;

function postApplication(body: unknown, headers: Record<string, string> = {}) {
  return app.request('/api/v1/applications', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${apiKey}`, ...headers },
    body: JSON.stringify(body),
  });
}

function applicant(courseId: string, personnummer: string, email = `api-${randomUUID().slice(0, 8)}@example.org`) {
  return { courseId, email, name: 'Maria Andersson', personnummer, phone: '070-111 22 33', childAge: 7, message: 'Vi bor nära.' };
}

/** The workflows Temporal holds for a course (visibility: the KometCourse search attribute). */
async function workflowsOfCourse(courseId: string): Promise<number> {
  return stack.env.client.workflow.count(`KometCourse = "${courseId}"`).then((r) => r.count);
}

/** Confirmation e-mails in the notification log, to one address. */
function confirmationsTo(email: string) {
  return stack.deps.db.notification.count({ where: { recipient: email, channel: 'email', idempotencyKey: { endsWith: ':notice-confirmation' } } });
}

/** One case for the person and course, its one workflow, and (once the workflow has sent it) one confirmation. */
async function expectOneCaseWithOneProcess(personId: string, courseId: string, email: string, workflowId: (caseNumber: string) => string) {
  const cases = await stack.deps.db.application.findMany({ where: { personId, courseId }, select: { caseNumber: true } });
  expect(cases).toHaveLength(1);
  const { caseNumber } = cases[0];
  // Its confirmation is keyed by its workflow: found under that key, it was sent by that workflow.
  await eventually(async () =>
    expect(await stack.deps.db.notification.count({ where: { idempotencyKey: `${workflowId(caseNumber)}:notice-confirmation` } })).toBe(1),
  );
  await eventually(async () => expect(await workflowsOfCourse(courseId)).toBe(1));
  expect(await confirmationsTo(email)).toBe(1);
  return caseNumber;
}

describe('twenty identical API submissions at once, without an Idempotency-Key', () => {
  it('make one case, one workflow and one confirmation for a new person; the others answer 409 already_applied', async () => {
    const courseId = courses[0];
    const body = applicant(courseId, '19900101-0017');
    const answers = await Promise.all(Array.from({ length: PARALLEL }, () => postApplication(body)));

    const statuses = answers.map((r) => r.status).sort();
    expect(statuses).toEqual([201, ...Array(PARALLEL - 1).fill(409)]);
    for (const res of answers.filter((r) => r.status === 409)) expect(((await res.json()) as any).error.code).toBe('already_applied');
    const persons = await stack.deps.db.person.findMany({ where: { email: body.email } });
    expect(persons).toHaveLength(1);
    const caseNumber = await expectOneCaseWithOneProcess(persons[0].id, courseId, body.email, parentApplicationWorkflowId);
    const created = answers.find((r) => r.status === 201)!;
    expect(((await created.json()) as any).caseNumber).toBe(caseNumber);
  });

  it('to different courses for one new person make one person and a case for each course', async () => {
    const email = `api-${randomUUID().slice(0, 8)}@example.org`;
    const targets = [courses[8], courses[9]];
    const answers = await Promise.all(targets.flatMap((courseId) => [postApplication(applicant(courseId, '19900101-0025', email)), postApplication(applicant(courseId, '19900101-0025', email))]));
    expect(answers.map((r) => r.status).sort()).toEqual([201, 201, 409, 409]);
    const persons = await stack.deps.db.person.findMany({ where: { email } });
    expect(persons).toHaveLength(1);
    expect(await stack.deps.db.application.count({ where: { personId: persons[0].id } })).toBe(2);
  });

  it('make one case, one workflow and one confirmation for a person known before', async () => {
    const courseId = courses[1];
    const person = await createCitizen(stack.deps);
    const body = applicant(courseId, '19850505-0008', person.email);
    const answers = await Promise.all(Array.from({ length: PARALLEL }, () => postApplication(body)));

    expect(answers.map((r) => r.status).sort()).toEqual([201, ...Array(PARALLEL - 1).fill(409)]);
    await expectOneCaseWithOneProcess(person.id, courseId, person.email, parentApplicationWorkflowId);
  });
});

describe('twenty posts of the apply form at once, in one session', () => {
  async function parent(): Promise<{ client: WebClient; email: string; id: string }> {
    const client = new WebClient(app);
    const email = `parent-${randomUUID().slice(0, 8)}@example.org`;
    expect((await client.login(stack.deps.db, email)).status).toBe(303);
    const { id } = await stack.deps.db.person.findUniqueOrThrow({ where: { email } });
    return { client, email, id };
  }

  it('are one case, whether double clicks of one form or twenty tabs: every answer leads to that case', async () => {
    const courseId = courses[2];
    const { client, email, id } = await parent();
    const form = { ...VALID_FORM, personnummer: '19920228-0005' };
    const doubleClicked = randomUUID();
    // Half of them the same form (one submission key), the others each from a tab of its own.
    const keys = Array.from({ length: PARALLEL }, (_, i) => (i % 2 ? doubleClicked : randomUUID()));
    const answers = await Promise.all(keys.map((submissionKey) => client.post(`/kurser/${courseId}/ansok`, { ...form, submissionKey })));

    const caseNumber = await expectOneCaseWithOneProcess(id, courseId, email, parentApplicationWorkflowId);
    const targets = answers.map((r) => `${r.status} ${r.headers.get('location')?.replace(/\?.*/, '')}`);
    expect(targets).toEqual(Array(PARALLEL).fill(`303 /mina-arenden/${caseNumber}`));
    // "Submitted" for the winner and its own double clicks, "already applied" for every other key:
    // a tab won (1 and 19), or the double-clicked form did (10 and 10).
    const said = (suffix: string) => answers.filter((r) => r.headers.get('location')?.endsWith(suffix)).length;
    expect([
      [1, PARALLEL - 1],
      [PARALLEL / 2, PARALLEL / 2],
    ]).toContainEqual([said('?ny=1'), said('?redan=1')]);
  });
});

describe('twenty enrolment forms at once, in one session', () => {
  it('from twenty tabs are one enrolment with one workflow and one confirmation', async () => {
    const client = new WebClient(app);
    const email = `pedagog-${randomUUID().slice(0, 8)}@example.org`;
    expect((await client.login(stack.deps.db, email)).status).toBe(303);
    const { id } = await stack.deps.db.person.findUniqueOrThrow({ where: { email } });
    const answers = await Promise.all(
      Array.from({ length: PARALLEL }, () =>
        client.post(`/utbildningar/${trainingId}/anmal`, { ...VALID_ENROLMENT_FORM, submissionKey: randomUUID() }),
      ),
    );

    const caseNumber = await expectOneCaseWithOneProcess(id, trainingId, email, professionalEnrolmentWorkflowId);
    const locations = answers.map((r) => `${r.status} ${r.headers.get('location')}`).sort();
    expect(locations).toEqual([
      `303 /mina-arenden/${caseNumber}?ny=1`,
      ...Array(PARALLEL - 1).fill(`303 /mina-arenden/${caseNumber}?redan=1`),
    ]);
  });
});

describe('a reused Idempotency-Key', () => {
  const counts = async () => ({ applications: await stack.deps.db.application.count(), persons: await stack.deps.db.person.count() });

  it('answers the first case again for the same request, however its JSON is written, and 422 for another one', async () => {
    const key = randomUUID();
    const body = applicant(courses[4], '19750615-0007');
    const first = await postApplication(body, { 'Idempotency-Key': key });
    expect(first.status).toBe(201);
    const { caseNumber } = (await first.json()) as { caseNumber: string };

    for (const replay of [body, Object.fromEntries(Object.entries(body).reverse())]) {
      const again = await postApplication(replay, { 'Idempotency-Key': key });
      expect(again.status).toBe(200);
      expect(((await again.json()) as { caseNumber: string }).caseNumber).toBe(caseNumber);
    }

    const before = await counts();
    // Another person entirely (a client bug reusing its key), and the same person with one field changed.
    for (const other of [applicant(courses[4], '19811218-9876'), { ...body, childAge: 8 }]) {
      const again = await postApplication(other, { 'Idempotency-Key': key });
      expect(again.status).toBe(422);
      expect(((await again.json()) as any).error.code).toBe('idempotency_key_reused');
    }
    expect(await counts()).toEqual(before);
  });

  it('sent twice at once with two different requests stores one of them and refuses the other with 422', async () => {
    const key = randomUUID();
    const courseId = courses[6];
    const [a, b] = await Promise.all([
      postApplication(applicant(courseId, '19900101-0017'), { 'Idempotency-Key': key }),
      postApplication(applicant(courseId, '19850505-0008'), { 'Idempotency-Key': key }),
    ]);
    expect([a.status, b.status].sort()).toEqual([201, 422]);
    expect(await stack.deps.db.application.count({ where: { courseId } })).toBe(1);
  });
});

/** The hand-written part of the migration, run again as it ran on a database of that time. */
function oneActiveMigrationStatements(): string[] {
  const sql = readFileSync('prisma/migrations/20261207100001_one_active_application/migration.sql', 'utf8');
  return sql
    .slice(sql.indexOf('UPDATE "application"'))
    .split(';')
    .map((statement) => statement.trim())
    .filter(Boolean);
}

describe('the migration to one active application per person and course', () => {
  it('covers exactly the active statuses the submission checks use', async () => {
    const [index] = await stack.deps.db.$queryRaw<{ indexdef: string }[]>`
      SELECT indexdef FROM pg_indexes WHERE indexname = 'application_one_active_idx'`;
    expect(index.indexdef).toMatch(/^CREATE UNIQUE INDEX .* \(person_id, course_id\) WHERE/);
    const statuses = [...index.indexdef.matchAll(/'(\w+)'::"ApplicationStatus"/g)].map((m) => m[1]);
    expect(statuses.sort()).toEqual([...ACTIVE_STATUSES].sort());
  });

  it('keeps active duplicates stored before it, marks the later ones and then holds', async () => {
    const { db } = stack.deps;
    const courseId = courses[7];
    await db.$executeRawUnsafe('DROP INDEX application_one_active_idx');
    const person = await createCitizen(stack.deps);
    const first = await insertCase(db, { personId: person.id, courseId, submittedAt: monthsAgo(2) });
    const second = await insertCase(db, { personId: person.id, courseId, status: 'queued', submittedAt: monthsAgo(1) });
    const closed = await insertCase(db, { personId: person.id, courseId, status: 'withdrawn' });

    for (const statement of oneActiveMigrationStatements()) await db.$executeRawUnsafe(statement);

    const rows = await db.application.findMany({ where: { personId: person.id }, select: { id: true, status: true, duplicateOfId: true } });
    expect(new Map(rows.map(({ id, ...rest }) => [id, rest]))).toEqual(
      new Map([
        [first.id, { status: 'submitted', duplicateOfId: null }],
        [second.id, { status: 'queued', duplicateOfId: first.id }],
        [closed.id, { status: 'withdrawn', duplicateOfId: null }],
      ]),
    );
    await expect(insertCase(db, { personId: person.id, courseId })).rejects.toMatchObject({ code: 'P2002' });
  });
});
