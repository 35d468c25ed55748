// application_tally follows the applications whoever writes them (the triggers of migration
// 20261202150000_application_tally): after every kind of change it holds exactly what counting the
// applications one by one gives, per course, term (Stockholm time), status and waiting days. The
// expected rows are counted here in TypeScript, with the terms' own code, not with the SQL functions.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { termOf } from '../lib/statistics/terms';
import { createTestDatabase, type TestDatabase } from './support/database';
import { DECISION_STATUS, STARTED_STATUSES, type ApplicationStatus } from '../rules/caseStatus';

let database: TestDatabase;
const groupCourse = randomUUID();
const webCourse = randomUUID();
const DAY = 86_400_000;
const FIRST_SESSION = new Date('2026-09-01T15:00:00Z');

beforeAll(async () => {
  database = await createTestDatabase();
  const { db } = database;
  await db.course.createMany({
    data: [
      { id: groupCourse, kind: 'groupCourse', title: 'Räkna grupp', capacity: 14 },
      { id: webCourse, kind: 'webCourse', title: 'Räkna webb', capacity: 100 },
    ],
  });
  await db.courseSession.createMany({
    data: [0, 7].map((d) => ({ courseId: groupCourse, startsAt: new Date(FIRST_SESSION.getTime() + d * DAY), endsAt: new Date(FIRST_SESSION.getTime() + d * DAY + 7_200_000) })),
  });
});

afterAll(async () => {
  await database?.drop();
});

type Row = { course: string; term: number; status: string; waiting: number | null; n: number };
const keyOf = (r: Omit<Row, 'n'>) => `${r.course}|${r.term}|${r.status}|${r.waiting}`;

/** The tally as counted by hand: every application, its term by termOf, its wait by the rule. */
async function countedByHand(): Promise<Row[]> {
  const { db } = database;
  const apps = await db.application.findMany({ where: { courseId: { in: [groupCourse, webCourse] } } });
  const sessions = await db.courseSession.findMany({ where: { courseId: groupCourse }, orderBy: { startsAt: 'asc' } });
  const first = sessions[0]?.startsAt;
  const rows = new Map<string, Row>();
  for (const a of apps) {
    const start = a.kind === 'webCourse' ? a.decidedAt : first;
    const mayHaveStarted = (STARTED_STATUSES as readonly string[]).includes(a.status);
    const waiting = mayHaveStarted && start ? Math.max(0, Math.floor((start.getTime() - a.submittedAt.getTime()) / DAY)) : null;
    const row = { course: a.courseId, term: termOf(a.submittedAt), status: a.status, waiting, n: 0 };
    const existing = rows.get(keyOf(row)) ?? row;
    existing.n += 1;
    rows.set(keyOf(row), existing);
  }
  return [...rows.values()].sort((x, y) => keyOf(x).localeCompare(keyOf(y)));
}

async function tally(): Promise<Row[]> {
  const rows = await database.db.$queryRaw<Row[]>`
    SELECT course_id::text AS course, term, status::text AS status, waiting, n FROM application_tally
    WHERE course_id IN (${groupCourse}::uuid, ${webCourse}::uuid)`;
  return rows.sort((x, y) => keyOf(x).localeCompare(keyOf(y)));
}

let made = 0;
async function person(): Promise<string> {
  const p = await database.db.person.create({ data: { email: `tally-${made++}-${randomUUID()}@example.com` } });
  return p.id;
}

/** The four applications made in one statement: a participant, one through the course, one queued, one more through. */
const BULK_STATUSES: ApplicationStatus[] = [DECISION_STATUS.admit, 'completed', DECISION_STATUS.queue, 'completed'];

async function apply(courseId: string, kind: 'groupCourse' | 'webCourse', submittedAt: Date, extra: { status?: ApplicationStatus; decidedAt?: Date } = {}) {
  const id = randomUUID();
  await database.db.application.create({
    data: { id, caseNumber: `T-${id}`, kind, personId: await person(), courseId, answers: {}, submittedAt, idempotencyKey: id, workflowId: id, ...extra },
  });
  return id;
}

describe('application_tally', () => {
  it('counts applications made one by one and in one statement, by their term in Stockholm time', async () => {
    // 23:30 UTC on 30 June is 1 July in Stockholm: HT, not VT.
    const boundary = new Date('2026-06-30T23:30:00Z');
    await apply(groupCourse, 'groupCourse', boundary);
    await apply(groupCourse, 'groupCourse', new Date('2026-06-20T10:00:00Z'), { status: 'admitted', decidedAt: new Date('2026-06-25T10:00:00Z') });
    await apply(webCourse, 'webCourse', new Date('2026-03-01T10:00:00Z'), { status: 'admitted', decidedAt: new Date('2026-03-04T09:00:00Z') });
    const people = await Promise.all([1, 2, 3, 4].map(() => person()));
    await database.db.$executeRaw`
      INSERT INTO application (id, case_number, kind, person_id, course_id, status, answers, submitted_at, idempotency_key, workflow_id)
      SELECT gen_random_uuid(), 'T-bulk-' || i, 'groupCourse', (${people}::uuid[])[i], ${groupCourse}::uuid,
        (${BULK_STATUSES}::"ApplicationStatus"[])[i], '{}', timestamp '2026-08-01 08:00' + make_interval(days => i), 'T-bulk-' || i, 'T-bulk-' || i
      FROM generate_series(1, 4) AS i`;
    const expected = await countedByHand();
    expect(expected.find((r) => r.status === 'submitted')?.term).toBe(2026 * 2 + 1);
    expect(await tally()).toEqual(expected);
  });

  it('moves a case between keys when its status or decision changes, and writes nothing for other columns', async () => {
    const { db } = database;
    const id = await apply(webCourse, 'webCourse', new Date('2026-04-01T10:00:00Z'));
    await db.application.update({ where: { id }, data: { status: 'admitted', decidedAt: new Date('2026-04-11T12:00:00Z') } });
    await db.application.updateMany({ where: { courseId: groupCourse, status: 'admitted' }, data: { status: 'completed' } });
    expect(await tally()).toEqual(await countedByHand());

    const [before] = await db.$queryRaw<{ versions: string }[]>`SELECT string_agg(xmin::text, ',' ORDER BY course_id, term, status, waiting) AS versions FROM application_tally`;
    await db.application.updateMany({ where: { courseId: groupCourse }, data: { lastActiveAt: new Date() } });
    const [after] = await db.$queryRaw<{ versions: string }[]>`SELECT string_agg(xmin::text, ',' ORDER BY course_id, term, status, waiting) AS versions FROM application_tally`;
    expect(after.versions).toBe(before.versions);
  });

  it('counts the waiting time again when the course’s first session moves, is added or goes', async () => {
    const { db } = database;
    const first = await db.courseSession.findFirstOrThrow({ where: { courseId: groupCourse }, orderBy: { startsAt: 'asc' } });
    await db.courseSession.update({ where: { id: first.id }, data: { startsAt: new Date('2026-08-20T15:00:00Z') } });
    expect(await tally()).toEqual(await countedByHand());
    await db.courseSession.create({ data: { courseId: groupCourse, startsAt: new Date('2026-08-10T15:00:00Z'), endsAt: new Date('2026-08-10T17:00:00Z') } });
    expect(await tally()).toEqual(await countedByHand());
    await db.courseSession.deleteMany({ where: { courseId: groupCourse } });
    const withoutSessions = await countedByHand();
    expect(withoutSessions.every((r) => r.course !== groupCourse || r.waiting === null)).toBe(true);
    expect(await tally()).toEqual(withoutSessions);
  });

  it('takes deleted applications away and keeps no key at zero', async () => {
    const { db } = database;
    await db.application.deleteMany({ where: { courseId: webCourse } });
    expect(await tally()).toEqual(await countedByHand());
    const [{ zero }] = await db.$queryRaw<{ zero: number }[]>`SELECT count(*)::int AS zero FROM application_tally WHERE n <= 0`;
    expect(zero).toBe(0);
    expect((await tally()).some((r) => r.course === webCourse)).toBe(false);
  });
});
