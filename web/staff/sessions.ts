// Moving a session or giving it another room (R2.6): the leader of the course's district (or the
// course), or an admin, edits date, times and room. Saving updates the row and signals every
// admitted case's workflow, which re-plans its reminders and tells the parent.
import { fieldErrors } from '../../lib/validation/fieldErrors';
import { WorkflowNotFoundError } from '@temporalio/client';
import { Hono, type Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { z } from 'zod';
import { handledCourses } from '../../lib/access';
import type { Db } from '../../lib/db';
import type { Deps } from '../../lib/deps';
import { formatTime, stockholmDateString, stockholmInstant } from '../../lib/time';
import { scheduleChangedSignal } from '../../workflows/parentApplication.messages';
import type { AppEnv } from '../context';
import { render } from '../render';
import { requireRole } from '../security/guards';

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
  })
  .refine((f) => f.endTime > f.startTime, { path: ['endTime'], error: 'schedule.sessions.errors.endBeforeStart' });


/** The course, if this staff member may handle it; another district's course answers 404. */
async function handledCourse(c: Context<AppEnv>) {
  const courseId = c.req.param('courseId') ?? '';
  const scope = handledCourses(c.get('user')!.grants);
  if (!scope || !UUID.test(courseId)) throw new HTTPException(404);
  const course = await c.get('deps').db.course.findFirst({
    where: { AND: [{ id: courseId }, scope] },
    include: { district: true, sessions: { include: { room: true }, orderBy: { startsAt: 'asc' } } },
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
) {
  const rooms = await roomsFor(c.get('deps').db, course.districtId);
  return render(
    c,
    '/staff/views/sessionsEdit',
    { title: c.get('t')('schedule.sessions.editTitle', { number: found.number }), course, ...found, rooms, values, errors },
    errors ? 422 : 200,
  );
}

/** Tells every admitted case of the course; cases whose workflow has ended need no word. */
async function signalAdmitted(deps: Pick<Deps, 'db' | 'temporal'>, courseId: string, sessionId: string): Promise<number> {
  const admitted = await deps.db.application.findMany({ where: { courseId, status: 'admitted' }, select: { workflowId: true } });
  const results = await Promise.all(
    admitted.map(async ({ workflowId }) => {
      try {
        await deps.temporal.workflow.getHandle(workflowId).signal(scheduleChangedSignal, { sessionId });
        return 1;
      } catch (err) {
        if (err instanceof WorkflowNotFoundError) return 0;
        throw err;
      }
    }),
  );
  return results.reduce<number>((sum, n) => sum + n, 0);
}

export function sessionRoutes() {
  const app = new Hono<AppEnv>();
  app.use(BASE, requireRole('groupLeader', 'admin'));
  app.use(`${BASE}/*`, requireRole('groupLeader', 'admin'));

  app.get(BASE, async (c) => {
    const course = await handledCourse(c);
    const q = c.req.query();
    const changed = course.sessions.find((s) => s.id === q.andrad);
    return render(c, '/staff/views/sessionsList', {
      title: c.get('t')('schedule.sessions.title', { course: course.title }),
      course,
      flash: changed ? { session: changed, notified: Number(q.meddelade) || 0 } : null,
      unchanged: q.oforandrad === '1',
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

    const startsAt = stockholmInstant(date, startTime);
    const endsAt = stockholmInstant(date, endTime);
    const { session } = found;
    const list = `/personal/kurser/${course.id}/traffar`;
    if (session.startsAt.getTime() === startsAt.getTime() && session.endsAt.getTime() === endsAt.getTime() && session.roomId === roomId) {
      return c.redirect(`${list}?oforandrad=1`, 303);
    }
    // The row is the truth the workflows read; they send the notices, so nothing else is written here.
    await deps.db.courseSession.update({ where: { id: session.id }, data: { startsAt, endsAt, roomId } });
    const notified = await signalAdmitted(deps, course.id, session.id);
    return c.redirect(`${list}?andrad=${session.id}&meddelade=${notified}`, 303);
  });

  return app;
}
