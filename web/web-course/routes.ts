// The parent's web course in "Mina ärenden" (R4, R5.3–R5.4): the panel (a fragment that polls,
// or a page of its own without JavaScript), the diary form, and a page per open module.
import { Hono, type Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { z } from 'zod';
import { fieldErrors } from '../../lib/validation/fieldErrors';
import { CASE_NUMBER_PATTERN } from '../../lib/cases/caseNumber';
import { DiaryNoteForm, writeParentNote } from '../../lib/webCourse/diary';
import { openModule } from '../../lib/webCourse/progress';
import type { AppEnv } from '../context';
import { render } from '../render';
import { requireUser } from '../security/guards';
import { PANEL_CASE_SELECT, panelFor, waitingPanelFor, type WaitingPanel, type WebCoursePanel } from './panel';

const ModuleNumber = z.coerce.number().int().min(1).max(99);

/** The parent's own web-course case, or 404 (someone else's case answers like a missing one). */
async function ownWebCourseCase(c: Context<AppEnv>) {
  const caseNumber = c.req.param('caseNumber') ?? '';
  if (!CASE_NUMBER_PATTERN.test(caseNumber)) throw new HTTPException(404);
  const app = await c.get('deps').db.application.findFirst({
    where: { caseNumber, personId: c.get('user')!.id, kind: 'webCourse' },
    select: { ...PANEL_CASE_SELECT, personId: true },
  });
  if (!app) throw new HTTPException(404);
  return app;
}

const isHtmx = (c: Context<AppEnv>) => c.req.header('hx-request') === 'true';

/** The panel alone for htmx; a small page around it otherwise (the no-JavaScript path). */
function showPanel(c: Context<AppEnv>, panel: WebCoursePanel | WaitingPanel | null, status: 200 | 422 = 200) {
  if (isHtmx(c)) return render(c, '/web-course/views/panel', { panel }, 200);
  if (!panel || 'waiting' in panel) return c.redirect(`/mina-arenden/${c.req.param('caseNumber')}`, 303);
  return render(c, '/web-course/views/page', { title: c.get('t')('webCourse.title'), panel }, status);
}

export function webCourseRoutes() {
  const app = new Hono<AppEnv>();
  for (const path of ['/mina-arenden/:caseNumber/webbkurs', '/mina-arenden/:caseNumber/webbkurs/*', '/mina-arenden/:caseNumber/moment/*']) {
    app.use(path, requireUser);
  }

  app.get('/mina-arenden/:caseNumber/webbkurs', async (c) => {
    const db = c.get('deps').db;
    const app = await ownWebCourseCase(c);
    const panel = await panelFor(db, app);
    const shown = panel ?? waitingPanelFor(app);
    // Nothing changed since the page the parent has: htmx keeps it (and what they are typing).
    if (isHtmx(c) && shown && c.req.query('sett') === shown.stamp) return c.body(null, 204);
    if (!panel) return showPanel(c, shown);
    return showPanel(c, isHtmx(c) ? { ...panel, preserveForm: true } : { ...panel, saved: c.req.query('sparad') === '1' });
  });

  app.post('/mina-arenden/:caseNumber/webbkurs/dagbok', async (c) => {
    const deps = c.get('deps');
    const app = await ownWebCourseCase(c);
    const form = await c.req.parseBody();
    const body = typeof form.body === 'string' ? form.body : '';
    const panel = await panelFor(deps.db, app);
    if (!panel?.canWrite) {
      // Finished, withdrawn or not started: nothing to write for, nothing stored.
      return showPanel(c, panel && { ...panel, notice: 'webCourse.diary.closed' }, 422);
    }
    const parsed = DiaryNoteForm.safeParse(form);
    if (!parsed.success) return showPanel(c, { ...panel, values: { body }, errors: fieldErrors(parsed.error) }, 422);
    await writeParentNote(deps, app, parsed.data.body);
    if (!isHtmx(c)) return c.redirect(`/mina-arenden/${app.caseNumber}/webbkurs?sparad=1`, 303);
    return showPanel(c, { ...(await panelFor(deps.db, app))!, saved: true });
  });

  app.get('/mina-arenden/:caseNumber/moment/:number', async (c) => {
    const app = await ownWebCourseCase(c);
    const number = ModuleNumber.safeParse(c.req.param('number'));
    const module = number.success && (await panelFor(c.get('deps').db, app)) ? await openModule(c.get('deps').db, app, number.data) : null;
    // A locked module is not there yet for the parent.
    if (!module) throw new HTTPException(404);
    return render(c, '/web-course/views/module', {
      title: c.get('t')('webCourse.moduleTitle', { number: module.number, title: module.title }),
      caseNumber: app.caseNumber,
      module,
    });
  });

  return app;
}
