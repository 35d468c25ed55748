// Calendars and moved sessions (R2.6): a course's .ics, the parent's private feed of the courses
// they are admitted to (hash-only token, renewal invalidates), and the leader's session edit that
// signals every admitted case's workflow, and refuses a time in the past or a room another course
// holds then (issue 13), changing nothing and telling nobody.
import { randomUUID } from 'node:crypto';
import { Client, Connection, type WorkflowHandle } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contentLines } from '../../lib/calendar/ics';
import { submitApplication } from '../../lib/cases/submitApplication';
import { sha256 } from '../../lib/crypto';
import { addDays, formatDateTime, formatTime, stockholmDateString } from '../../lib/time';
import { DEMO_STAFF } from '../../prisma/seed';
import { createApp } from '../../web/app';
import { decideUpdate, parentApplicationWorkflowId } from '../../workflows/parentApplication.messages';
import { eventually } from '../support/eventually';
import { startStack, TEST_PERSONNUMMER, VALID_DETAILS, type TestStack } from '../support/stack';
import { WebClient } from '../support/webClient';
import { untilWaitingFor } from '../support/parentApplies';

let stack: TestStack;
let app: ReturnType<typeof createApp>;
let leader: WebClient;
let course: { id: string; title: string; districtId: string | null };
let otherCourse: { id: string; title: string };
let parent: WebClient;
let parentId: string;
let admittedCase: WorkflowHandle;
let submittedCase: WorkflowHandle;

async function applyFor(personId: string, courseId: string, personnummer: string) {
  const result = await submitApplication(
    { db: stack.deps.db, temporal: stack.deps.temporal, taskQueue: stack.deps.config.TEMPORAL_TASK_QUEUE },
    { personId, courseId, details: { ...VALID_DETAILS, personnummer }, idempotencyKey: randomUUID(), actor: personId },
  );
  if (!result.ok) throw new Error(result.code);
  const handle = stack.deps.temporal.workflow.getHandle(parentApplicationWorkflowId(result.caseNumber));
  await untilWaitingFor(handle, 'decision');
  return handle;
}

beforeAll(async () => {
  stack = await startStack();
  app = createApp(stack.deps);
  const db = stack.deps.db;
  course = await db.course.findFirstOrThrow({ where: { district: { slug: 'sodermalm' }, language: 'sv' } });
  otherCourse = await db.course.findFirstOrThrow({ where: { district: { slug: 'sodermalm' }, NOT: { id: course.id }, kind: 'groupCourse' } });
  leader = await WebClient.loggedIn(app, db, DEMO_STAFF.leaderSodermalm);
  parent = new WebClient(app);
  const email = `p-${randomUUID().slice(0, 8)}@example.org`;
  await parent.login(db, email);
  parentId = (await db.person.findUniqueOrThrow({ where: { email } })).id;
  // Admitted to one course, only applied to another: the feed lists the first alone.
  admittedCase = await applyFor(parentId, course.id, TEST_PERSONNUMMER[0]);
  const leaderId = (await db.person.findUniqueOrThrow({ where: { email: DEMO_STAFF.leaderSodermalm } })).id;
  await admittedCase.executeUpdate(decideUpdate, { args: [{ decision: 'admit', actorId: leaderId }] });
  submittedCase = await applyFor(parentId, otherCourse.id, TEST_PERSONNUMMER[0]);
});
afterAll(async () => stack?.stop());

/** Parses the .ics as a client would, checking the wire format on the way. */
function parseIcs(text: string) {
  expect(text.endsWith('\r\n')).toBe(true);
  expect(text.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/); // CRLF only
  for (const line of text.split('\r\n')) expect(Buffer.byteLength(line)).toBeLessThanOrEqual(75); // folded
  const lines = contentLines(text);
  expect(lines[0]).toBe('BEGIN:VCALENDAR');
  expect(lines.at(-1)).toBe('END:VCALENDAR');
  expect(lines).toContain('VERSION:2.0');
  const events: Record<string, string>[] = [];
  let current: Record<string, string> | null = null;
  for (const line of lines) {
    if (line === 'BEGIN:VEVENT') current = {};
    else if (line === 'END:VEVENT') {
      events.push(current!);
      current = null;
    } else if (current) {
      const colon = line.indexOf(':');
      current[line.slice(0, colon)] = line.slice(colon + 1);
    }
  }
  for (const e of events) {
    for (const prop of ['UID', 'DTSTAMP', 'DTSTART', 'DTEND', 'SUMMARY']) expect(e[prop], prop).toBeTruthy();
    expect(e.DTSTART).toMatch(/^\d{8}T\d{6}Z$/);
  }
  return events;
}

const icsTime = (d: Date) => d.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');

describe('course calendar', () => {
  it('serves the course sessions as iCalendar with stable UIDs, UTC times and room + address', async () => {
    const res = await app.request(`/kurser/${course.id}/kalender.ics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/calendar; charset=utf-8/);
    const text = await res.text();
    const events = parseIcs(text);
    const sessions = await stack.deps.db.courseSession.findMany({ where: { courseId: course.id }, include: { room: true }, orderBy: { startsAt: 'asc' } });
    expect(events).toHaveLength(sessions.length);
    expect(events[0]).toMatchObject({
      UID: `session-${sessions[0].id}@localhost`,
      DTSTART: icsTime(sessions[0].startsAt),
      DTEND: icsTime(sessions[0].endsAt),
      SUMMARY: `Träff 1 av ${sessions.length} – Stockholms stad`,
      LOCATION: `${sessions[0].room!.name}\\, ${sessions[0].room!.address.replace(/,/g, '\\,')}`,
    });
    expect(text).not.toContain(course.title);
    expect(text).not.toMatch(/Komet/i);
    // Fetched again, the same sessions keep the same UIDs.
    const again = parseIcs(await (await app.request(`/kurser/${course.id}/kalender.ics`)).text());
    expect(again.map((e) => e.UID)).toEqual(events.map((e) => e.UID));
  });

  it('answers 404 for an unknown, malformed or draft course', async () => {
    expect((await app.request(`/kurser/${randomUUID()}/kalender.ics`)).status).toBe(404);
    expect((await app.request('/kurser/nope/kalender.ics')).status).toBe(404);
    const draft = await stack.deps.db.course.create({ data: { kind: 'groupCourse', title: 'Utkast', capacity: 5, status: 'draft', districtId: course.districtId } });
    expect((await app.request(`/kurser/${draft.id}/kalender.ics`)).status).toBe(404);
  });

  it('is linked from the public course page, in English too', async () => {
    expect(await (await app.request(`/kurser/${course.id}`)).text()).toContain(`href="/kurser/${course.id}/kalender.ics"`);
    const english = parseIcs(await (await app.request(`/kurser/${course.id}/kalender.ics?lang=en`)).text());
    expect(english[0].SUMMARY).toMatch(/^Session 1 of \d+ – City of Stockholm$/);
  });
});

describe('personal calendar feed', () => {
  const feedPath = (page: string) => /\/kalender\/[A-Za-z0-9_-]{43}\.ics/.exec(page)?.[0];

  it('is offered in Mina ärenden once the parent is admitted', async () => {
    const page = await (await parent.get('/mina-arenden')).text();
    expect(page).toContain('href="/kalender"');
  });

  it('creates a private address shown once, stores only its hash, and lists the admitted course alone', async () => {
    expect(await (await parent.get('/kalender')).text()).toContain('Du har ingen kalenderadress ännu.');
    const created = await parent.post('/kalender', { action: 'create' });
    expect(created.status).toBe(200);
    const page = await created.text();
    const path = feedPath(page)!;
    expect(path).toBeTruthy();
    expect(page).toContain(`value="http://localhost:3000${path}"`);
    expect(page).toContain(`href="webcal://localhost:3000${path}"`);
    expect(page).toContain('Så prenumererar du');

    const token = path.slice('/kalender/'.length, -'.ics'.length);
    const row = await stack.deps.db.calendarFeed.findUniqueOrThrow({ where: { personId: parentId } });
    expect(row.tokenHash).toBe(sha256(token));
    expect(JSON.stringify(row)).not.toContain(token);

    // Calendar apps fetch without a session.
    const res = await app.request(path);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/calendar/);
    const text = await res.text();
    const events = parseIcs(text);
    const admittedSessions = await stack.deps.db.courseSession.findMany({ where: { courseId: course.id } });
    expect(events.map((e) => e.UID).sort()).toEqual(admittedSessions.map((s) => `session-${s.id}@localhost`).sort());
    expect(events.every((e) => /^Träff \d+ av \d+ – Stockholms stad$/.test(e.SUMMARY))).toBe(true);
    expect(text).not.toContain(course.title);
    expect(text).not.toContain(otherCourse.title);

    // Seen again later, the page does not show the address.
    const later = await (await parent.get('/kalender')).text();
    expect(feedPath(later)).toBeUndefined();
    expect(later).toContain('Skapa ny adress');
  });

  it('renews only after confirmation, and the old address then answers 404', async () => {
    const first = feedPath(await (await parent.post('/kalender', { action: 'renew', confirm: 'yes' })).text())!;
    const asked = await (await parent.post('/kalender', { action: 'renew' })).text();
    expect(asked).toContain('Den gamla adressen slutar fungera direkt');
    expect(feedPath(asked)).toBeUndefined();
    expect((await app.request(first)).status).toBe(200); // nothing changed without the confirmation

    const second = feedPath(await (await parent.post('/kalender', { action: 'renew', confirm: 'yes' })).text())!;
    expect(second).not.toBe(first);
    expect((await app.request(first)).status).toBe(404);
    expect((await app.request(second)).status).toBe(200);
  });

  it('answers 404 for an unknown or malformed token, and for a removed feed', async () => {
    expect((await app.request(`/kalender/${'A'.repeat(43)}.ics`)).status).toBe(404);
    expect((await app.request('/kalender/short.ics')).status).toBe(404);
    const path = feedPath(await (await parent.post('/kalender', { action: 'renew', confirm: 'yes' })).text())!;
    expect((await parent.post('/kalender', { action: 'remove' })).status).toBe(200); // the question first
    expect((await app.request(path)).status).toBe(200);
    const removed = await parent.post('/kalender', { action: 'remove', confirm: 'yes' });
    expect(removed.status).toBe(303);
    expect((await app.request(path)).status).toBe(404);
    expect(await stack.deps.db.calendarFeed.count({ where: { personId: parentId } })).toBe(0);
  });

  it('needs a login to manage, and refuses a form without the CSRF token', async () => {
    const anonymous = await app.request('/kalender');
    expect(anonymous.status).toBe(303);
    expect(anonymous.headers.get('location')).toMatch(/^\/logga-in/);
    expect((await parent.post('/kalender', { action: 'create' }, { csrf: false })).status).toBe(403);
    expect(await stack.deps.db.calendarFeed.count({ where: { personId: parentId } })).toBe(0);
  });
});

describe('moving a session', () => {
  const signalsOf = async (handle: WorkflowHandle) => {
    const history = await handle.fetchHistory();
    return (history.events ?? [])
      .map((e) => e.workflowExecutionSignaledEventAttributes)
      .filter((a) => a?.signalName === 'scheduleChanged')
      .map((a) => JSON.parse(Buffer.from(a!.input!.payloads![0].data!).toString()) as { sessionId: string });
  };

  let sessionId: string;
  async function sessionAndRooms() {
    // The third session; it keeps being "the" session after it moves to the end of the course.
    sessionId ??= (await stack.deps.db.courseSession.findMany({ where: { courseId: course.id }, orderBy: { startsAt: 'asc' } }))[2].id;
    const session = await stack.deps.db.courseSession.findUniqueOrThrow({ where: { id: sessionId } });
    const rooms = await stack.deps.db.room.findMany({ include: { district: true } });
    return {
      session,
      otherRoom: rooms.find((r) => r.districtId === course.districtId && r.id !== session.roomId)!,
      foreignRoom: rooms.find((r) => r.district?.slug === 'rinkeby-kista')!,
    };
  }

  it('lists the sessions with an edit link each, linked from the leader’s course list', async () => {
    expect(await (await leader.get('/personal/ansokningar')).text()).toContain(`href="/personal/kurser/${course.id}/traffar"`);
    const page = await (await leader.get(`/personal/kurser/${course.id}/traffar`)).text();
    const { session } = await sessionAndRooms();
    expect(page).toContain(`href="/personal/kurser/${course.id}/traffar/${session.id}"`);
    expect(page).toContain('aria-label="Ändra träff 3"');
  });

  it('re-renders bad input with the message beside each field and stores nothing', async () => {
    const { session, otherRoom, foreignRoom } = await sessionAndRooms();
    const url = `/personal/kurser/${course.id}/traffar/${session.id}`;
    const cases: [Record<string, string>, string, string][] = [
      [{ date: '2030-05-14', startTime: '18:00', endTime: '17:00', roomId: otherRoom.id }, 'endTime', 'Sluttiden måste vara efter starttiden.'],
      [{ date: '2030-02-30', startTime: '17:00', endTime: '19:00', roomId: otherRoom.id }, 'date', 'Skriv ett giltigt datum'],
      [{ date: '2030-05-14', startTime: 'kväll', endTime: '19:00', roomId: otherRoom.id }, 'startTime', 'Skriv en tid som TT:MM'],
      [{ date: '2030-05-14', startTime: '17:00', endTime: '19:00', roomId: randomUUID() }, 'roomId', 'Välj en av lokalerna i listan.'],
      [{ date: '2030-05-14', startTime: '17:00', endTime: '19:00', roomId: foreignRoom.id }, 'roomId', 'Välj en av lokalerna i listan.'],
      [{ date: '', startTime: '', endTime: '', roomId: '' }, 'date', 'Skriv ett giltigt datum'],
    ];
    for (const [form, field, message] of cases) {
      const res = await leader.post(url, form);
      expect(res.status, JSON.stringify(form)).toBe(422);
      const page = await res.text();
      expect(page).toContain(`id="f-${field}-error"`);
      expect(page).toContain(message);
      expect(page).toContain('aria-invalid="true"');
      expect(page).toContain(`value="${form.date}"`); // the input is kept
    }
    const after = await stack.deps.db.courseSession.findUniqueOrThrow({ where: { id: session.id } });
    expect(after).toEqual(session);
    expect(await signalsOf(admittedCase)).toEqual([]);
  });

  it('keeps other districts, supervisors and parents out', async () => {
    const { session } = await sessionAndRooms();
    const url = `/personal/kurser/${course.id}/traffar/${session.id}`;
    const form = { date: '2030-05-14', startTime: '17:00', endTime: '19:00', roomId: session.roomId! };
    const rinkeby = await WebClient.loggedIn(app, stack.deps.db, DEMO_STAFF.leaderRinkeby);
    expect((await rinkeby.get(`/personal/kurser/${course.id}/traffar`)).status).toBe(404);
    expect((await rinkeby.get(url)).status).toBe(404);
    expect((await rinkeby.post(url, form)).status).toBe(404);
    const central = await WebClient.loggedIn(app, stack.deps.db, DEMO_STAFF.central);
    expect((await central.post(url, form)).status).toBe(403);
    expect((await parent.post(url, form)).status).toBe(403);
    // A session of another course under this course's address does not exist.
    const foreign = await stack.deps.db.courseSession.findFirstOrThrow({ where: { courseId: otherCourse.id } });
    expect((await leader.get(`/personal/kurser/${course.id}/traffar/${foreign.id}`)).status).toBe(404);
    expect(await stack.deps.db.courseSession.findUniqueOrThrow({ where: { id: session.id } })).toEqual(session);
  });

  it('saves the new date, times and room, signals every admitted case, and the calendar follows', async () => {
    const { session, otherRoom } = await sessionAndRooms();
    const url = `/personal/kurser/${course.id}/traffar/${session.id}`;
    const form = await (await leader.get(url)).text();
    expect(form).toContain('name="date"');
    expect(form).toContain(`value="${session.roomId}" selected`);

    const res = await leader.post(url, { date: '2030-05-14', startTime: '17:30', endTime: '19:15', roomId: otherRoom.id });
    expect(res.status).toBe(303);
    const list = await (await leader.get(res.headers.get('location')!)).text();
    expect(list).toContain(`Ändringen är sparad: tisdag 14 maj 2030, 17:30–19:15, ${otherRoom.name}. Antagna föräldrar som får besked: 1.`);

    const moved = await stack.deps.db.courseSession.findUniqueOrThrow({ where: { id: session.id } });
    // 14 May 2030 is summer time in Stockholm (UTC+2).
    expect(moved.startsAt.toISOString()).toBe('2030-05-14T15:30:00.000Z');
    expect(moved.endsAt.toISOString()).toBe('2030-05-14T17:15:00.000Z');
    expect(moved.roomId).toBe(otherRoom.id);

    await eventually(async () => expect(await signalsOf(admittedCase)).toEqual([{ sessionId: session.id }]));
    expect(await signalsOf(submittedCase)).toEqual([]); // only admitted cases are told

    const events = parseIcs(await (await app.request(`/kurser/${course.id}/kalender.ics`)).text());
    const event = events.find((e) => e.UID === `session-${session.id}@localhost`)!;
    expect(event.DTSTART).toBe('20300514T153000Z');
    expect(event.LOCATION).toContain(otherRoom.name.replace(/,/g, '\\,'));
  });

  it('saving without a change tells nobody', async () => {
    const { session } = await sessionAndRooms();
    const before = (await signalsOf(admittedCase)).length;
    const res = await leader.post(`/personal/kurser/${course.id}/traffar/${session.id}`, {
      date: '2030-05-14',
      startTime: '17:30',
      endTime: '19:15',
      roomId: session.roomId!,
    });
    expect(res.headers.get('location')).toContain('oforandrad=1');
    expect(await signalsOf(admittedCase)).toHaveLength(before);
  });

  const todayInStockholm = () => stockholmDateString(new Date());

  it('refuses a time that has begun beside the date: 422, the row unchanged, nobody told', async () => {
    const { session } = await sessionAndRooms();
    const url = `/personal/kurser/${course.id}/traffar/${session.id}`;
    const signals = await signalsOf(admittedCase);
    // Today 00:00 has always begun (the trial's move was to today 02:00); yesterday evening too.
    const forms = [
      { date: todayInStockholm(), startTime: '00:00', endTime: '00:30', roomId: session.roomId! },
      { date: addDays(todayInStockholm(), -1), startTime: '17:30', endTime: '19:15', roomId: session.roomId! },
    ];
    for (const form of forms) {
      const res = await leader.post(url, form);
      expect(res.status, form.date).toBe(422);
      const page = await res.text();
      expect(page).toMatch(/<p class="error-text" id="f-date-error">.*Den tiden har redan varit\. Välj en tid som inte har börjat än/);
      expect(page).toContain('href="#f-date"'); // the error summary leads to the field
      expect(page).toContain(`value="${form.date}"`);
    }
    expect(await stack.deps.db.courseSession.findUniqueOrThrow({ where: { id: session.id } })).toEqual(session);
    expect(await signalsOf(admittedCase)).toEqual(signals);
  });

  it('refuses a room another course holds at an overlapping time, naming that course and when', async () => {
    const { session } = await sessionAndRooms();
    const url = `/personal/kurser/${course.id}/traffar/${session.id}`;
    const signals = await signalsOf(admittedCase);
    // As in the trial: the other course holds its room 17:30–20:00, this one asks for 18:00–20:00.
    const held = await stack.deps.db.courseSession.findFirstOrThrow({ where: { courseId: otherCourse.id }, orderBy: { startsAt: 'asc' } });
    const form = {
      date: stockholmDateString(held.startsAt),
      startTime: formatTime(new Date(held.startsAt.getTime() + 30 * 60_000), 'sv'),
      endTime: formatTime(held.endsAt, 'sv'),
      roomId: held.roomId!,
    };
    const res = await leader.post(url, form);
    expect(res.status).toBe(422);
    const page = await res.text();
    const message = `Lokalen är redan bokad då: ${otherCourse.title}, ${formatDateTime(held.startsAt, 'sv')}–${formatTime(held.endsAt, 'sv')}. Välj en annan lokal eller en annan tid.`;
    expect(page).toContain(`<p class="error-text" id="f-roomId-error"><span class="visually-hidden">Fel: </span>${message}</p>`);
    expect(page).toContain('aria-describedby="f-roomId-error"');
    expect(await stack.deps.db.courseSession.findUniqueOrThrow({ where: { id: session.id } })).toEqual(session);
    expect(await stack.deps.db.courseSession.findUniqueOrThrow({ where: { id: held.id } })).toEqual(held);
    expect(await signalsOf(admittedCase)).toEqual(signals);

    // Back to back is no clash: ending when the other course begins is fine.
    const before = { date: form.date, startTime: formatTime(new Date(held.startsAt.getTime() - 90 * 60_000), 'sv'), endTime: formatTime(held.startsAt, 'sv'), roomId: held.roomId! };
    expect((await leader.post(url, before)).status).toBe(303);
    await eventually(async () => expect((await signalsOf(admittedCase)).length).toBe(signals.length + 1));
  });

  it('saves nothing and says to try again (503) when Temporal cannot be reached', async () => {
    const { session, otherRoom } = await sessionAndRooms();
    const signals = await signalsOf(admittedCase);
    const nowhere = new Client({ connection: Connection.lazy({ address: '127.0.0.1:1' }) });
    const offline = createApp({ ...stack.deps, temporal: nowhere });
    const offlineLeader = new WebClient(offline);
    await offlineLeader.login(stack.deps.db, DEMO_STAFF.leaderSodermalm);
    try {
      const res = await offlineLeader.post(`/personal/kurser/${course.id}/traffar/${session.id}`, { date: '2030-06-04', startTime: '17:30', endTime: '19:00', roomId: otherRoom.id });
      expect(res.status).toBe(503);
      const page = await res.text();
      expect(page).toContain('Ändringen sparades inte. Tjänsten som ger de antagna föräldrarna besked svarar inte just nu. Försök igen om en stund.');
      expect(page).toContain('value="2030-06-04"'); // the input is kept for the next try
    } finally {
      await nowhere.connection.close();
    }
    expect(await stack.deps.db.courseSession.findUniqueOrThrow({ where: { id: session.id } })).toEqual(session);
    expect(await signalsOf(admittedCase)).toEqual(signals);
  });

  it('says how many parents were not told when Temporal stops answering after the save, and sends again', async () => {
    const { session } = await sessionAndRooms();
    const url = `/personal/kurser/${course.id}/traffar/${session.id}`;
    const signals = await signalsOf(admittedCase);
    // Temporal answers the health question but no signal arrives: a namespace that does not exist.
    const lost = new Client({ connection: stack.deps.temporal.connection, namespace: 'komet-nowhere' });
    const halfway = new WebClient(createApp({ ...stack.deps, temporal: lost }));
    await halfway.login(stack.deps.db, DEMO_STAFF.leaderSodermalm);
    const res = await halfway.post(url, { date: '2030-06-11', startTime: '17:30', endTime: '19:15', roomId: session.roomId! });
    expect(res.status).toBe(303);
    expect((await stack.deps.db.courseSession.findUniqueOrThrow({ where: { id: session.id } })).startsAt.toISOString()).toBe('2030-06-11T15:30:00.000Z');
    const list = await (await leader.get(res.headers.get('location')!)).text();
    expect(list).toContain('Antagna föräldrar som får besked: 0.');
    expect(list).toContain('1 antagen förälder kunde inte få besked nu, eftersom tjänsten som skickar beskeden inte svarar.');
    expect(list).toContain(`action="/personal/kurser/${course.id}/traffar/${session.id}/meddela"`);
    expect(await signalsOf(admittedCase)).toEqual(signals);

    const again = await leader.post(`${url}/meddela`, {});
    expect(again.status).toBe(303);
    expect(await (await leader.get(again.headers.get('location')!)).text()).toContain('Beskedet om träffen är skickat igen. Antagna föräldrar som får besked: 1.');
    await eventually(async () => expect(await signalsOf(admittedCase)).toEqual([...signals, { sessionId: session.id }]));
  });

  it('the admin’s booking of another room tells the admitted parents too, and waits for Temporal like the edit', async () => {
    const { session } = await sessionAndRooms();
    const signals = await signalsOf(admittedCase);
    const room = await stack.deps.db.room.create({ data: { name: 'Hyrda salen', address: 'Hornsgatan 3', external: true } });
    const admin = await WebClient.loggedIn(app, stack.deps.db, DEMO_STAFF.admin);

    const nowhere = new Client({ connection: Connection.lazy({ address: '127.0.0.1:1' }) });
    const offlineAdmin = new WebClient(createApp({ ...stack.deps, temporal: nowhere }));
    await offlineAdmin.login(stack.deps.db, DEMO_STAFF.admin);
    try {
      const refused = await offlineAdmin.post(`/personal/admin/lokaler/bokningar/${session.id}`, { roomId: room.id });
      expect(refused.status).toBe(503);
      expect(await refused.text()).toContain('Bokningen sparades inte. Tjänsten som ger de antagna föräldrarna besked svarar inte just nu.');
    } finally {
      await nowhere.connection.close();
    }
    expect(await stack.deps.db.courseSession.findUniqueOrThrow({ where: { id: session.id } })).toEqual(session);
    expect(await signalsOf(admittedCase)).toEqual(signals);

    const booked = await admin.post(`/personal/admin/lokaler/bokningar/${session.id}`, { roomId: room.id });
    expect(booked.status).toBe(303);
    expect(await (await admin.get(booked.headers.get('location')!)).text()).toContain('Träffen är bokad i lokalen. Antagna föräldrar som får besked: 1.');
    expect((await stack.deps.db.courseSession.findUniqueOrThrow({ where: { id: session.id } })).roomId).toBe(room.id);
    await eventually(async () => expect(await signalsOf(admittedCase)).toEqual([...signals, { sessionId: session.id }]));
  });
});
