// Calendars of sessions (R2.6): a course's .ics for anyone, and the parent's private, subscribable
// feed of every course they are admitted to. Titles stay discreet: a calendar may be seen by others.
import { Hono, type Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { z } from 'zod';
import { buildCalendar } from '../../lib/calendar/ics';
import {
  admittedSessions,
  calendarFeedOf,
  courseSessions,
  feedOwner,
  issueCalendarFeed,
  removeCalendarFeed,
  sessionEvents,
  type CalendarSession,
} from '../../lib/calendar/sessionCalendars';
import type { AppEnv } from '../context';
import { render } from '../render';
import { requireUser } from '../security/guards';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const FeedAction = z.object({
  action: z.enum(['create', 'renew', 'remove']),
  confirm: z.literal('yes').optional().catch(undefined),
});

function icsResponse(c: Context<AppEnv>, sessions: CalendarSession[], description: string, filename?: string) {
  const t = c.get('t');
  const body = buildCalendar({
    name: t('schedule.calendar.name'),
    events: sessionEvents(sessions, {
      summary: (s) => t('schedule.calendar.eventTitle', { number: s.number, count: s.count }),
      description,
      host: new URL(c.get('deps').config.publicUrl).hostname,
    }),
  });
  c.header('Content-Type', 'text/calendar; charset=utf-8');
  if (filename) c.header('Content-Disposition', `attachment; filename="${filename}"`);
  return c.body(body);
}

/** The subscription address; it keeps the page's language so the events' titles match it. */
function feedUrl(c: Context<AppEnv>, token: string): string {
  const lang = c.get('lang');
  return `${c.get('deps').config.publicUrl}/kalender/${token}.ics${lang === 'sv' ? '' : `?lang=${lang}`}`;
}

async function showFeedPage(c: Context<AppEnv>, extra: { newUrl?: string; removed?: boolean } = {}) {
  const feed = await calendarFeedOf(c.get('deps').db, c.get('user')!.id);
  return render(c, '/calendar/views/feed', {
    title: c.get('t')('schedule.calendar.title'),
    feed,
    newUrl: extra.newUrl ?? null,
    webcalUrl: extra.newUrl ? extra.newUrl.replace(/^https?:/, 'webcal:') : null,
    removed: extra.removed ?? false,
  });
}

export function calendarRoutes() {
  const app = new Hono<AppEnv>();
  app.use('/kalender', requireUser);

  app.get('/kurser/:courseId/kalender.ics', async (c) => {
    const courseId = c.req.param('courseId');
    const sessions = UUID.test(courseId) ? await courseSessions(c.get('deps').db, courseId) : null;
    if (!sessions) throw new HTTPException(404);
    const description = `${c.get('deps').config.publicUrl}/kurser/${courseId}`;
    return icsResponse(c, sessions, description, 'traffar.ics');
  });

  app.get('/kalender', (c) => showFeedPage(c, { removed: c.req.query('borttagen') === '1' }));

  app.post('/kalender', async (c) => {
    const parsed = FeedAction.safeParse(await c.req.parseBody());
    if (!parsed.success) throw new HTTPException(400);
    const { db } = c.get('deps');
    const personId = c.get('user')!.id;
    const { action, confirm } = parsed.data;
    const exists = !!(await calendarFeedOf(db, personId));
    // Renewing or removing breaks every calendar subscribed to the old address: ask first.
    if (exists && confirm !== 'yes') {
      return render(c, '/calendar/views/confirm', { title: c.get('t')('schedule.calendar.title'), action: action === 'remove' ? 'remove' : 'renew' });
    }
    if (action === 'remove') {
      await removeCalendarFeed(db, personId);
      return c.redirect('/kalender?borttagen=1', 303);
    }
    // Shown once: only the hash is kept, so this page is the only place the address appears.
    return showFeedPage(c, { newUrl: feedUrl(c, await issueCalendarFeed(db, personId)) });
  });

  app.get('/kalender/:file', async (c) => {
    const token = /^(.+)\.ics$/.exec(c.req.param('file'))?.[1] ?? '';
    const { db, config } = c.get('deps');
    const personId = await feedOwner(db, token);
    if (!personId) throw new HTTPException(404);
    return icsResponse(c, await admittedSessions(db, personId), `${config.publicUrl}/mina-arenden`);
  });

  return app;
}
