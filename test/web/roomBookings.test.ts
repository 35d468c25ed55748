// A room holds one session at a time (R8.7, issue 13), on every path and in the database itself:
// the exclusion constraint refuses an overlapping booking from any writer, and two bookings fired
// at the same moment (through the admin's booking, the leader's session edit, or one of each)
// cannot both win: exactly one is saved, the other gets the refusal naming the winner, never a 500.
// Sessions that lost their room when existing clashes were resolved are shown until rebooked.
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isDoubleBooking } from '../../lib/admin/rooms';
import { formatDateTime, formatTime, stockholmInstant } from '../../lib/time';
import { DEMO_STAFF } from '../../prisma/seed';
import { createApp } from '../../web/app';
import { eventually } from '../support/eventually';
import { startStack, type TestStack } from '../support/stack';
import { WebClient } from '../support/webClient';

let stack: TestStack;
let admin: WebClient;
let leader: WebClient;
let courses: { id: string; title: string }[];

const db = () => stack.deps.db;

beforeAll(async () => {
  stack = await startStack();
  const app = createApp(stack.deps);
  admin = await WebClient.loggedIn(app, db(), DEMO_STAFF.admin);
  leader = await WebClient.loggedIn(app, db(), DEMO_STAFF.leaderSodermalm);
  // Two courses of the Södermalm leader, with titles that tell the winner apart.
  courses = await db().course.findMany({ where: { district: { slug: 'sodermalm' }, kind: 'groupCourse' }, orderBy: { title: 'asc' }, take: 2 });
  expect(courses).toHaveLength(2);
  expect(courses[0].title).not.toBe(courses[1].title);
});
afterAll(async () => stack?.stop());

/** An external room, which every course may use; nobody else books it. */
const newRoom = () => db().room.create({ data: { name: `Rum ${randomUUID().slice(0, 6)}`, address: 'Ringvägen 1', external: true } });

/** A session of a course at a Stockholm date and time, in a room or none. */
function newSession(courseId: string, date: string, from: string, to: string, roomId: string | null = null) {
  return db().courseSession.create({ data: { courseId, startsAt: stockholmInstant(date, from), endsAt: stockholmInstant(date, to), roomId } });
}

describe('the database itself', () => {
  it('refuses an overlapping booking of a room from any writer, and keeps back to back, other rooms and no room', async () => {
    const room = await newRoom();
    const other = await newRoom();
    await newSession(courses[0].id, '2031-03-03', '17:30', '20:00', room.id);

    const caught = await newSession(courses[1].id, '2031-03-03', '18:00', '20:00', room.id).catch((err: unknown) => err);
    expect(isDoubleBooking(caught)).toBe(true);
    // A raw write meets the same constraint (Prisma's P2010 carrying SQLSTATE 23P01).
    const raw = await db()
      .$executeRaw`INSERT INTO course_session (id, course_id, starts_at, ends_at, room_id) VALUES (gen_random_uuid(), ${courses[1].id}::uuid, ${stockholmInstant('2031-03-03', '19:59')}, ${stockholmInstant('2031-03-03', '21:00')}, ${room.id}::uuid)`.catch((err: unknown) => err);
    expect(isDoubleBooking(raw)).toBe(true);

    // Half-open: ending when the other begins, or beginning when it ends, is no clash.
    await newSession(courses[1].id, '2031-03-03', '16:00', '17:30', room.id);
    await newSession(courses[1].id, '2031-03-03', '20:00', '21:00', room.id);
    await newSession(courses[1].id, '2031-03-03', '18:00', '20:00', other.id);
    await newSession(courses[1].id, '2031-03-03', '18:00', '20:00', null);
    await newSession(courses[0].id, '2031-03-03', '18:00', '20:00', null);
    expect(await db().courseSession.count({ where: { roomId: room.id } })).toBe(3);
  });
});

/**
 * Holds the two sessions' rows locked, so that both requests pass their check and then wait at
 * their write; lets go once both wait. Then the writes meet at the exclusion constraint.
 */
async function atTheSameMoment(sessionIds: string[], requests: () => Promise<Response>[]): Promise<Response[]> {
  const gate = new pg.Client({ connectionString: stack.database.url });
  await gate.connect();
  try {
    await gate.query('BEGIN');
    await gate.query('SELECT id FROM course_session WHERE id = ANY($1::uuid[]) FOR UPDATE', [sessionIds]);
    const responses = Promise.all(requests());
    await eventually(async () => {
      // Inside a transaction PostgreSQL keeps its first view of pg_stat_activity: take a fresh one.
      await gate.query('SELECT pg_stat_clear_snapshot()');
      const { rows } = await gate.query<{ n: number }>(
        "SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()",
      );
      expect(rows[0].n).toBe(2);
    });
    await gate.query('COMMIT');
    return await responses;
  } finally {
    await gate.end();
  }
}

/** Exactly one request saved (303), the other was refused (422) naming the winner's course and time. */
async function oneWins(responses: Response[], sessions: { id: string; courseId: string }[], roomId: string) {
  const statuses = responses.map((r) => r.status);
  expect([...statuses].sort()).toEqual([303, 422]);
  const winner = sessions[statuses.indexOf(303)];
  const loser = sessions[statuses.indexOf(422)];
  const won = await db().courseSession.findUniqueOrThrow({ where: { id: winner.id }, include: { course: true } });
  expect(won.roomId).toBe(roomId);
  const page = await responses[statuses.indexOf(422)].text();
  expect(page).toContain(`Lokalen är redan bokad då: ${won.course.title}, ${formatDateTime(won.startsAt, 'sv')}–${formatTime(won.endsAt, 'sv')}.`);
  expect((await db().courseSession.findUniqueOrThrow({ where: { id: loser.id } })).roomId).toBeNull();
  expect(await db().courseSession.count({ where: { roomId } })).toBe(1);
  return { winner, loser };
}

describe('two bookings of one room at the same moment', () => {
  it('through the admin’s booking twice: one wins, the other is told which course holds the room', async () => {
    const room = await newRoom();
    const a = await newSession(courses[0].id, '2031-03-04', '17:30', '20:00');
    const b = await newSession(courses[1].id, '2031-03-04', '18:00', '20:00');
    const responses = await atTheSameMoment([a.id, b.id], () => [
      admin.post(`/personal/admin/lokaler/bokningar/${a.id}`, { roomId: room.id }),
      admin.post(`/personal/admin/lokaler/bokningar/${b.id}`, { roomId: room.id }),
    ]);
    await oneWins(responses, [a, b], room.id);
  });

  it('through the leader’s session edit twice', async () => {
    const room = await newRoom();
    const a = await newSession(courses[0].id, '2031-03-11', '09:00', '10:00');
    const b = await newSession(courses[1].id, '2031-03-12', '09:00', '10:00');
    const responses = await atTheSameMoment([a.id, b.id], () => [
      leader.post(`/personal/kurser/${a.courseId}/traffar/${a.id}`, { date: '2031-03-05', startTime: '17:30', endTime: '20:00', roomId: room.id }),
      leader.post(`/personal/kurser/${b.courseId}/traffar/${b.id}`, { date: '2031-03-05', startTime: '18:00', endTime: '20:00', roomId: room.id }),
    ]);
    const { loser } = await oneWins(responses, [a, b], room.id);
    // The refused move changed nothing: the loser keeps its old time too.
    const kept = await db().courseSession.findUniqueOrThrow({ where: { id: loser.id } });
    expect(kept.startsAt).toEqual((loser.id === a.id ? a : b).startsAt);
  });

  it('through the admin’s booking and the leader’s edit at once', async () => {
    const room = await newRoom();
    const a = await newSession(courses[0].id, '2031-03-06', '17:30', '20:00');
    const b = await newSession(courses[1].id, '2031-03-13', '18:00', '20:00');
    const responses = await atTheSameMoment([a.id, b.id], () => [
      admin.post(`/personal/admin/lokaler/bokningar/${a.id}`, { roomId: room.id }),
      leader.post(`/personal/kurser/${b.courseId}/traffar/${b.id}`, { date: '2031-03-06', startTime: '18:00', endTime: '20:00', roomId: room.id }),
    ]);
    await oneWins(responses, [a, b], room.id);
  });
});

describe('sessions that lost their room when existing double bookings were resolved', () => {
  it('are shown to the admin and on the course’s session list until booked again', async () => {
    const room = await newRoom();
    const kept = await newSession(courses[0].id, '2031-04-01', '17:30', '20:00', room.id);
    const freed = await newSession(courses[1].id, '2031-04-01', '18:00', '20:00');
    // What the migration leaves behind for a clash it resolved.
    await db().roomRelease.create({ data: { sessionId: freed.id, roomId: room.id, heldById: kept.id } });

    const rooms = await (await admin.get('/personal/admin/lokaler')).text();
    expect(rooms).toContain('Träffar som förlorade sin lokal');
    expect(rooms).toContain(`data-released="${freed.id}"`);
    expect(rooms).toContain(`Hade ${room.name}, som ${courses[0].title} behöll (${formatDateTime(kept.startsAt, 'sv')}–${formatTime(kept.endsAt, 'sv')}).`);
    const list = await (await leader.get(`/personal/kurser/${courses[1].id}/traffar`)).text();
    expect(list).toContain(`data-released="${freed.id}"`);
    expect(list).toContain(`var dubbelbokad med ${courses[0].title}`);

    // The same room is still taken; another one books, and the task is gone.
    expect((await admin.post(`/personal/admin/lokaler/bokningar/${freed.id}`, { roomId: room.id })).status).toBe(422);
    expect(await db().roomRelease.count({ where: { sessionId: freed.id } })).toBe(1);
    const other = await newRoom();
    expect((await admin.post(`/personal/admin/lokaler/bokningar/${freed.id}`, { roomId: other.id })).status).toBe(303);
    expect(await db().roomRelease.count({ where: { sessionId: freed.id } })).toBe(0);
    expect(await (await admin.get('/personal/admin/lokaler')).text()).not.toContain(`data-released="${freed.id}"`);
  });
});
