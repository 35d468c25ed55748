// The admin's rooms and booking calendar (R8.7): rooms (own or external) created and edited,
// sessions booked in a room (a double booking is refused, naming the other session), and a week
// and a month view of the bookings in Stockholm time.
import { Hono, type Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { z } from 'zod';
import { addMonths, bookingsBetween, bookRoom, isoWeek, mondayOf, monthGrid, saveRoom } from '../../lib/admin/rooms';
import { addDays, formatDateTime, formatTime, stockholmDateString } from '../../lib/time';
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

async function showRooms(c: Context<AppEnv>, opts: { values?: Record<string, string>; errors?: Record<string, string>; bookingError?: BookingError } = {}) {
  const db = c.get('deps').db;
  const page = Math.max(1, Number.parseInt(c.req.query('page') ?? '1', 10) || 1);
  const upcoming = { endsAt: { gte: new Date() }, course: { kind: { not: 'webCourse' as const } } };
  const [rooms, districts, total, sessions] = await Promise.all([
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
      flash: flashCode(c.req.query('klart'), ['saved', 'booked', 'unbooked'] as const),
    },
    failed ? 422 : 200,
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
    const db = c.get('deps').db;
    if (!isUuid(sessionId) || !(await db.courseSession.findUnique({ where: { id: sessionId } }))) throw new HTTPException(404);
    const { roomId } = formValues(await c.req.parseBody(), ['roomId']);
    const t = c.get('t');
    if (roomId && !isUuid(roomId)) return showRooms(c, { bookingError: { sessionId, message: t('admin.rooms.errors.roomId') } });
    const result = await bookRoom(db, sessionId, roomId || null);
    if (!result.ok) {
      const message =
        result.reason === 'doubleBooked'
          ? t('admin.rooms.errors.doubleBooked', {
              course: result.other.courseTitle,
              when: `${formatDateTime(result.other.startsAt, c.get('lang'))}–${formatTime(result.other.endsAt, c.get('lang'))}`,
            })
          : t('admin.rooms.errors.roomId');
      return showRooms(c, { bookingError: { sessionId, message } });
    }
    return c.redirect(`${PAGE}?klart=${roomId ? 'booked' : 'unbooked'}`, 303);
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
