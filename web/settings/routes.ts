// The admin's settings (R2.6): the reminder lead time and the other case timings, in hours and
// days; the employers' e-mail domains for managers' consent (R6.2, issue 14); and courses that
// are not open yet, which an admin opens for applications (R2.5: the district's queue is then
// offered the seats in queue order); and the baseline of the chat's goal (issue 17, chatBaseline.ts).
import { Hono, type Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { z } from 'zod';
import { fieldErrors } from '../../lib/validation/fieldErrors';
import { openCourse } from '../../lib/courses/openCourse';
import { MANAGER_DOMAINS_MAX, loadCaseTimings, loadEnrolmentRules, loadWebCourseRules, parseDomainList, saveCaseTimings, saveEnrolmentRules, saveWebCourseRules, type CaseTimings } from '../../lib/settings';
import type { AppEnv } from '../context';
import { render } from '../render';
import { requireArea } from '../security/guards';
import { wholeNumber } from '../../lib/validation/formFields';
import { loadChatBaseline } from '../../lib/statistics/chatBaseline';
import { chatBaselineFormValues, chatBaselineRoutes } from './chatBaseline';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** Each timing as the admin sees it: a whole number of hours or days within sensible bounds. */
const FIELDS = {
  reminderLeadHours: { key: 'reminderLeadMs', unit: HOUR, min: 1, max: 14 * 24 },
  offerTtlDays: { key: 'offerTtlMs', unit: DAY, min: 1, max: 30 },
  surveyReminderDays: { key: 'surveyReminderMs', unit: DAY, min: 1, max: 30 },
  completionWindowDays: { key: 'completionWindowMs', unit: DAY, min: 1, max: 120 },
  inactivityDays: { key: 'inactivityMs', unit: DAY, min: 1, max: 60 },
  noticeQuietMinutes: { key: 'noticeQuietMs', unit: MINUTE, min: 1, max: 24 * 60 },
} as const satisfies Record<string, { key: keyof CaseTimings; unit: number; min: number; max: number }>;
type FieldName = keyof typeof FIELDS;


const SettingsForm = z.object(
  Object.fromEntries(Object.entries(FIELDS).map(([name, f]) => [name, wholeNumber(f.min, f.max)])) as Record<FieldName, ReturnType<typeof wholeNumber>>,
);

function toForm(t: CaseTimings): Record<FieldName, string> {
  return Object.fromEntries(
    Object.entries(FIELDS).map(([name, f]) => [name, String(Math.max(1, Math.round(t[f.key] / f.unit)))]),
  ) as Record<FieldName, string>;
}

/** The page with both forms: `values` of the one posted (with its errors) over the stored ones. */
async function showPage(c: Context<AppEnv>, values: Record<string, string> = {}, errors: Record<string, string> = {}, saved = false) {
  const db = c.get('deps').db;
  const [courses, openCourses, timings, rules, webCourseRules, chatBaseline] = await Promise.all([
    db.course.findMany({ where: { status: { not: 'open' } }, include: { district: true }, orderBy: { createdAt: 'asc' } }),
    db.course.findMany({ where: { status: 'open' }, include: { district: true }, orderBy: { title: 'asc' } }),
    loadCaseTimings(db),
    loadEnrolmentRules(db),
    loadWebCourseRules(db),
    loadChatBaseline(db),
  ]);
  return render(
    c,
    '/settings/views/settings',
    {
      title: c.get('t')('settings.title'),
      values: { ...toForm(timings), managerEmailDomains: rules.managerEmailDomains.join('\n'), ...chatBaselineFormValues(chatBaseline), ...values },
      errors,
      saved,
      fields: FIELDS,
      courses,
      openCourses,
      opened: c.req.query('oppnad') === '1',
      closed: c.req.query('stangd') === '1',
      domainsSaved: c.req.query('domaner') === '1',
      webCourseRules,
      webCourseSaved: c.req.query('webbkurs') === '1',
      chatBaselineSaved: c.req.query('chattmal') === '1',
    },
    Object.keys(errors).length ? 422 : 200,
  );
}

export function settingsRoutes() {
  const app = new Hono<AppEnv>();
  app.use('/personal/installningar', requireArea('administration'));
  app.use('/personal/installningar/*', requireArea('administration'));

  app.get('/personal/installningar', async (c) => showPage(c));

  app.post('/personal/installningar', async (c) => {
    const body = await c.req.parseBody();
    const values = Object.fromEntries(Object.keys(FIELDS).map((k) => [k, typeof body[k] === 'string' ? (body[k] as string) : '']));
    const parsed = SettingsForm.safeParse(values);
    if (!parsed.success) return showPage(c, values, fieldErrors(parsed.error));
    const timings = Object.fromEntries(
      Object.entries(FIELDS).map(([name, f]) => [f.key, parsed.data[name as FieldName] * f.unit]),
    ) as Partial<CaseTimings>;
    const saved = await saveCaseTimings(c.get('deps').db, timings, c.get('user')!.id);
    return showPage(c, toForm(saved), {}, true);
  });

  // The employers' e-mail domains a manager's address must be at (issue 14); empty: any but one's own.
  app.post('/personal/installningar/chefsdomaner', async (c) => {
    const form = await c.req.parseBody();
    const text = typeof form.managerEmailDomains === 'string' ? form.managerEmailDomains : '';
    const domains = parseDomainList(text);
    if (!domains || domains.length > MANAGER_DOMAINS_MAX) {
      return showPage(c, { managerEmailDomains: text }, { managerEmailDomains: 'settings.errors.domains' });
    }
    await saveEnrolmentRules(c.get('deps').db, { managerEmailDomains: domains }, c.get('user')!.id);
    return c.redirect('/personal/installningar?domaner=1#domains-heading', 303);
  });

  // Whether a guide may sign off a web-course module before its surveys are answered (R5.4, issue 13).
  app.post('/personal/installningar/webbkurs', async (c) => {
    const form = await c.req.parseBody();
    await saveWebCourseRules(c.get('deps').db, { signOffNeedsSurveys: form.signOffNeedsSurveys === 'yes' }, c.get('user')!.id);
    return c.redirect('/personal/installningar?webbkurs=1#webcourse-heading', 303);
  });

  app.route('/', chatBaselineRoutes(showPage));

  app.post('/personal/installningar/kurser/:courseId/oppna', async (c) => {
    const courseId = c.req.param('courseId');
    const course = z.uuid().safeParse(courseId).success
      ? await c.get('deps').db.course.findUnique({ where: { id: courseId } })
      : null;
    if (!course) throw new HTTPException(404);
    await openCourse(c.get('deps'), course.id);
    return c.redirect('/personal/installningar?oppnad=1', 303);
  });

  // Closing takes the course out of the catalogue (R8.2); a confirmation step comes first.
  app.post('/personal/installningar/kurser/:courseId/stang', async (c) => {
    const courseId = c.req.param('courseId');
    const db = c.get('deps').db;
    const course = z.uuid().safeParse(courseId).success ? await db.course.findUnique({ where: { id: courseId } }) : null;
    if (!course || course.status !== 'open') throw new HTTPException(404);
    const form = await c.req.parseBody();
    if (form.confirm !== 'yes') return render(c, '/admin/views/closeConfirm', { title: c.get('t')('admin.courses.closeTitle'), course });
    await db.course.update({ where: { id: course.id }, data: { status: 'closed' } });
    return c.redirect('/personal/installningar?stangd=1', 303);
  });

  return app;
}
