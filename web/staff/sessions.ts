// Moving a session or giving it another room (R2.6): the leader of the course's district (or the
// course), or an admin, edits date, times and room. A time that has begun or a room another course
// holds then is refused beside its field, and nothing changes (issue 13). Saving updates the row
// and signals every admitted case's workflow, which re-plans its reminders and tells the parent.
import { Hono, type Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { z } from 'zod';
import { placeSession, releasedSessions, roomBookedMessage } from '../../lib/admin/rooms';
import { admittedParentCases, tellScheduleChanged, temporalAnswers } from '../../lib/courses/scheduleNotice';
import type { Db } from '../../lib/db';
import { formatTime, stockholmDateString, stockholmInstant } from '../../lib/time';
import { fieldErrors } from '../../lib/validation/fieldErrors';
import { canScheduleSession } from '../../rules/sessions';
import type { AppEnv } from '../context';
import { render } from '../render';
import { courseFor } from '../../lib/policy/load';
import { requireArea } from '../security/guards';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const BASE = '/personal/kurser/:courseId/traffar';

/** Browsers send HH:MM, some HH:MM:SS; seconds are dropped. */
const time = z
  .string({ error: 'schedule.sessions.errors.time' })
  .regex(/^([01]\d|2[0-3]):[0-5]\d(:[0-5]\d)?$/, { error: 'schedule.sessions.errors.time' })
  .transform((v) => v.slice(0, 5));

const SessionForm = z
  .object({
    date: z
      .string({ error: 'schedule.sessions.errors.date' })
      .regex(/^\d{4}-\d{2}-\d{2}$/, { error: 'schedule.sessions.errors.date' })
      // 2025-02-30 matches the pattern but is no day: it must survive a round trip.
      .refine((v) => !Number.isNaN(Date.parse(`${v}T12:00:00Z`)) && new Date(`${v}T12:00:00Z`).toISOString().startsWith(v), {
        error: 'schedule.sessions.errors.date',
      }),
    startTime: time,
    endTime: time,
    roomId: z.string({ error: 'schedule.sessions.errors.room' }).regex(UUID, { error: 'schedule.sessions.errors.room' }),
  });

/** The field a timing refusal belongs beside. */
const TIMING_FIELD = { 'end-before-start': 'endTime', 'session-in-past': 'date' } as const;

/** The course, if this staff member may handle it; another district's course answers 404. */
async function handledCourse(c: Context<AppEnv>) {
  const course = await courseFor(c.get('deps').db, c.get('user')!, c.req.param('courseId'), {
    district: true,
    sessions: { include: { room: true }, orderBy: { startsAt: 'asc' } },
  });
  if (!course) throw new HTTPException(404);
  return course;
}

type HandledCourse = Awaited<ReturnType<typeof handledCourse>>;

function sessionOf(c: Context<AppEnv>, course: HandledCourse) {
  const session = course.sessions.find((s) => s.id === c.req.param('sessionId'));
  if (!session) throw new HTTPException(404);
  return { session, number: course.sessions.indexOf(session) + 1 };
}

/** The rooms a course may meet in: its district's and the shared (external) ones. */
function roomsFor(db: Db, districtId: string | null) {
  return db.room.findMany({ where: { OR: [{ districtId }, { districtId: null }] }, orderBy: { name: 'asc' } });
}

async function showForm(
  c: Context<AppEnv>,
  course: HandledCourse,
  found: ReturnType<typeof sessionOf>,
  values: Record<string, unknown>,
  errors?: Record<string, string>,
  unreachable = false,
) {
  const rooms = await roomsFor(c.get('deps').db, course.districtId);
  return render(
    c,
    '/staff/views/sessionsEdit',
    { title: c.get('t')('schedule.sessions.editTitle', { number: found.number }), course, ...found, rooms, values, errors, unreachable },
    unreachable ? 503 : errors ? 422 : 200,
  );
}

/** Where the list says what happened: saved (or sent again), how many were told, how many not. */
function listUrl(courseId: string, flash: { session: string; told: number; unreached: number; resent?: boolean }) {
  const q = new URLSearchParams({ andrad: flash.session, meddelade: String(flash.told) });
  if (flash.unreached) q.set('ejnadda', String(flash.unreached));
  if (flash.resent) q.set('igen', '1');
  return `/personal/kurser/${courseId}/traffar?${q}`;
}

export function sessionRoutes() {
  const app = new Hono<AppEnv>();
  app.use(BASE, requireArea('sessions'));
  app.use(`${BASE}/*`, requireArea('sessions'));

  app.get(BASE, async (c) => {
    const course = await handledCourse(c);
    const q = c.req.query();
    const changed = course.sessions.find((s) => s.id === q.andrad);
    const count = (v: string | undefined) => Math.max(0, Number.parseInt(v ?? '', 10) || 0);
    const released = await releasedSessions(c.get('deps').db, { courseId: course.id });
    return render(c, '/staff/views/sessionsList', {
      title: c.get('t')('schedule.sessions.title', { course: course.title }),
      course,
      flash: changed ? { session: changed, notified: count(q.meddelade), unreached: count(q.ejnadda), resent: q.igen === '1' } : null,
      unchanged: q.oforandrad === '1',
      released,
    });
  });

  app.get(`${BASE}/:sessionId`, async (c) => {
    const course = await handledCourse(c);
    const found = sessionOf(c, course);
    const { session } = found;
    return showForm(c, course, found, {
      date: stockholmDateString(session.startsAt),
      startTime: formatTime(session.startsAt, 'sv'),
      endTime: formatTime(session.endsAt, 'sv'),
      roomId: session.roomId ?? '',
    });
  });

  app.post(`${BASE}/:sessionId`, async (c) => {
    const course = await handledCourse(c);
    const found = sessionOf(c, course);
    const form = await c.req.parseBody();
    const parsed = SessionForm.safeParse(form);
    if (!parsed.success) return showForm(c, course, found, form, fieldErrors(parsed.error));
    const { date, startTime, endTime, roomId } = parsed.data;
    const deps = c.get('deps');
    const rooms = await roomsFor(deps.db, course.districtId);
    if (!rooms.some((r) => r.id === roomId)) return showForm(c, course, found, form, { roomId: 'schedule.sessions.errors.room' });

    const span = { startsAt: stockholmInstant(date, startTime), endsAt: stockholmInstant(date, endTime) };
    const { session } = found;
    if (session.startsAt.getTime() === span.startsAt.getTime() && session.endsAt.getTime() === span.endsAt.getTime() && session.roomId === roomId) {
      return c.redirect(`/personal/kurser/${course.id}/traffar?oforandrad=1`, 303);
    }
    const timing = canScheduleSession(span, new Date());
    if (!timing.ok) return showForm(c, course, found, form, { [TIMING_FIELD[timing.code]]: `refusals.${timing.code}` });
    // Saved only when the parents can be told: otherwise nothing changes and the page says to try again.
    const admitted = await admittedParentCases(deps.db, course.id);
    if (admitted.length && !(await temporalAnswers(deps.temporal))) return showForm(c, course, found, form, undefined, true);
    const placed = await placeSession(deps.db, session.id, { ...span, roomId });
    if (!placed.ok) {
      // A translated message (t() returns text that is no key as it is): it names the course holding the room.
      const message = roomBookedMessage(c.get('t'), c.get('lang'), placed.holder, 'schedule.sessions.errors.roomBooked');
      return showForm(c, course, found, form, { roomId: message });
    }
    // The row is the truth the workflows read; they send the notices, so nothing else is written here.
    const { told, unreached } = await tellScheduleChanged(deps.temporal, admitted, session.id);
    return c.redirect(listUrl(course.id, { session: session.id, told, unreached }), 303);
  });

  /** Sends the notice again after Temporal could not be reached for some parents. */
  app.post(`${BASE}/:sessionId/meddela`, async (c) => {
    const course = await handledCourse(c);
    const { session } = sessionOf(c, course);
    const deps = c.get('deps');
    const { told, unreached } = await tellScheduleChanged(deps.temporal, await admittedParentCases(deps.db, course.id), session.id);
    return c.redirect(listUrl(course.id, { session: session.id, told, unreached, resent: true }), 303);
  });

  return app;
}
