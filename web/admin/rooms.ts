// The admin's rooms and booking calendar (R8.7): rooms (own or external) created and edited,
// sessions booked in a room (a double booking is refused, naming the other session, and the
// admitted parents are told of a new place, R2.6), the sessions that lost their room when double
// bookings were resolved, and a week and a month view of the bookings in Stockholm time.
import { Hono, type Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { z } from 'zod';
import { addMonths, bookingsBetween, bookRoom, isoWeek, mondayOf, monthGrid, releasedSessions, roomBookedMessage, saveRoom } from '../../lib/admin/rooms';
import { admittedParentCases, tellScheduleChanged, temporalAnswers } from '../../lib/courses/scheduleNotice';
import { addDays, formatTime, stockholmDateString } from '../../lib/time';
import type { AppEnv } from '../context';
import { render } from '../render';
import { intlLocale } from '../../lib/i18n';
import { flashCode, formValues } from './form';

const PAGE = '/personal/admin/lokaler';
const PAGE_SIZE = 25;
const ROOM_FIELDS = ['name', 'address', 'districtId', 'external'] as const;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const MONTH = /^\d{4}-\d{2}$/;

const isUuid = (v: string) => z.uuid().safeParse(v).success;

interface BookingError {
  sessionId: string;
  message: string;
}

async function showRooms(
  c: Context<AppEnv>,
  opts: { values?: Record<string, string>; errors?: Record<string, string>; bookingError?: BookingError; status?: 503 } = {},
) {
  const db = c.get('deps').db;
  const page = Math.max(1, Number.parseInt(c.req.query('page') ?? '1', 10) || 1);
  const upcoming = { endsAt: { gte: new Date() }, course: { kind: { not: 'webCourse' as const } } };
  const [rooms, districts, total, sessions, released] = await Promise.all([
    db.room.findMany({ include: { district: true }, orderBy: [{ external: 'asc' }, { name: 'asc' }] }),
    db.district.findMany({ orderBy: { name: 'asc' } }),
    db.courseSession.count({ where: upcoming }),
    db.courseSession.findMany({
      where: upcoming,
      include: { course: { select: { title: true } } },
      orderBy: { startsAt: 'asc' },
      skip: (page - 1) * PAGE_SIZE,
      take: PAGE_SIZE,
    }),
    releasedSessions(db),
  ]);
  const errors = opts.errors ?? {};
  const failed = Object.keys(errors).length > 0 || !!opts.bookingError;
  return render(
    c,
    '/admin/views/rooms',
    {
      title: c.get('t')('admin.rooms.title'),
      rooms,
      districts,
      sessions,
      page,
      pages: Math.max(1, Math.ceil(total / PAGE_SIZE)),
      values: opts.values ?? { name: '', address: '', districtId: '', external: '' },
      errors,
      bookingError: opts.bookingError ?? null,
      released,
      flash: flashCode(c.req.query('klart'), ['saved', 'booked', 'unbooked'] as const),
      told: /^\d{1,6}$/.test(c.req.query('meddelade') ?? '') ? Number(c.req.query('meddelade')) : null,
    },
    opts.status ?? (failed ? 422 : 200),
  );
}

async function showRoomEdit(c: Context<AppEnv>, id: string, values: Record<string, string>, errors: Record<string, string> = {}) {
  const districts = await c.get('deps').db.district.findMany({ orderBy: { name: 'asc' } });
  return render(c, '/admin/views/roomEdit', { title: c.get('t')('admin.rooms.editTitle'), id, districts, values, errors }, Object.keys(errors).length ? 422 : 200);
}

export function roomRoutes() {
  const app = new Hono<AppEnv>();

  app.get(PAGE, (c) => showRooms(c));

  app.post(PAGE, async (c) => {
    const values = formValues(await c.req.parseBody(), ROOM_FIELDS);
    const result = await saveRoom(c.get('deps').db, null, values);
    if (!result.ok) return showRooms(c, { values, errors: result.errors });
    return c.redirect(`${PAGE}?klart=saved`, 303);
  });

  app.get(`${PAGE}/kalender`, async (c) => {
    const view = c.req.query('vy') === 'manad' ? 'month' : 'week';
    const asked = c.req.query('datum') ?? '';
    const today = stockholmDateString(new Date());
    const date = DATE.test(asked) && !Number.isNaN(Date.parse(asked)) ? asked : today;
    const db = c.get('deps').db;
    const lang = c.get('lang');
    const time = (d: Date) => formatTime(d, lang);
    if (view === 'week') {
      const monday = mondayOf(date);
      const days = Array.from({ length: 7 }, (_, i) => addDays(monday, i));
      const bookings = await bookingsBetween(db, monday, addDays(monday, 7));
      return render(c, '/admin/views/calendarWeek', {
        title: c.get('t')('admin.rooms.calendarTitle'),
        days,
        week: isoWeek(monday),
        bookings,
        time,
        prev: addDays(monday, -7),
        next: addDays(monday, 7),
        today,
      });
    }
    const month = MONTH.test(date.slice(0, 7)) ? date.slice(0, 7) : today.slice(0, 7);
    const bookings = await bookingsBetween(db, `${month}-01`, `${addMonths(month, 1)}-01`);
    return render(c, '/admin/views/calendarMonth', {
      title: c.get('t')('admin.rooms.calendarTitle'),
      month,
      monthName: new Intl.DateTimeFormat(intlLocale(lang), { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(new Date(`${month}-15T12:00:00Z`)),
      weeks: monthGrid(month),
      bookings,
      time,
      prev: `${addMonths(month, -1)}-01`,
      next: `${addMonths(month, 1)}-01`,
      today,
    });
  });

  app.post(`${PAGE}/bokningar/:sessionId`, async (c) => {
    const sessionId = c.req.param('sessionId');
    const deps = c.get('deps');
    const session = isUuid(sessionId) ? await deps.db.courseSession.findUnique({ where: { id: sessionId } }) : null;
    if (!session) throw new HTTPException(404);
    const { roomId } = formValues(await c.req.parseBody(), ['roomId']);
    const t = c.get('t');
    if (roomId && !isUuid(roomId)) return showRooms(c, { bookingError: { sessionId, message: t('admin.rooms.errors.roomId') } });
    const room = roomId || null;
    if (room === session.roomId) return c.redirect(`${PAGE}?klart=${room ? 'booked' : 'unbooked'}`, 303);
    // The parents are told of the new place; when they cannot be, nothing is booked (try again).
    const admitted = await admittedParentCases(deps.db, session.courseId);
    if (admitted.length && !(await temporalAnswers(deps.temporal))) {
      return showRooms(c, { bookingError: { sessionId, message: t('admin.rooms.unreachable') }, status: 503 });
    }
    const result = await bookRoom(deps.db, sessionId, room);
    if (!result.ok) {
      const message = result.code === 'room-booked' ? roomBookedMessage(t, c.get('lang'), result.holder, 'admin.rooms.errors.doubleBooked') : t('admin.rooms.errors.roomId');
      return showRooms(c, { bookingError: { sessionId, message } });
    }
    const done = `${PAGE}?klart=${room ? 'booked' : 'unbooked'}`;
    if (!admitted.length) return c.redirect(done, 303);
    const { told, unreached } = await tellScheduleChanged(deps.temporal, admitted, sessionId);
    // Some could not be told after all: the course's session list says so and sends again.
    if (unreached) return c.redirect(`/personal/kurser/${session.courseId}/traffar?andrad=${sessionId}&meddelade=${told}&ejnadda=${unreached}`, 303);
    return c.redirect(`${done}&meddelade=${told}`, 303);
  });

  app.get(`${PAGE}/:id`, async (c) => {
    const id = c.req.param('id');
    const room = isUuid(id) ? await c.get('deps').db.room.findUnique({ where: { id } }) : null;
    if (!room) throw new HTTPException(404);
    return showRoomEdit(c, room.id, { name: room.name, address: room.address, districtId: room.districtId ?? '', external: room.external ? 'on' : '' });
  });

  app.post(`${PAGE}/:id`, async (c) => {
    const id = c.req.param('id');
    const db = c.get('deps').db;
    const room = isUuid(id) ? await db.room.findUnique({ where: { id } }) : null;
    if (!room) throw new HTTPException(404);
    const values = formValues(await c.req.parseBody(), ROOM_FIELDS);
    const result = await saveRoom(db, room.id, values);
    if (!result.ok) return showRoomEdit(c, room.id, values, result.errors);
    return c.redirect(`${PAGE}?klart=saved`, 303);
  });

  return app;
}
