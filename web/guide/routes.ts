// The guide's console (R5.3–R5.4): the guide's own web-course parents, behind ones first; a
// parent's diary with an answer form; signing off the current module after a confirmation step.
// Another guide's parent answers 404, like a missing case. Every look is in the case's audit trail.
import { Hono, type Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { z } from 'zod';
import { fieldErrors } from '../../lib/validation/fieldErrors';
import { CASE_NUMBER_PATTERN } from '../../lib/cases/caseNumber';
import { loadCaseTimings } from '../../lib/settings';
import { DIARY_MAX, DiaryNoteForm, writeGuideAnswer } from '../../lib/webCourse/diary';
import { guidedApplication, listGuidedParents } from '../../lib/webCourse/guideConsole';
import { loadWebCourseProgress } from '../../lib/webCourse/progress';
import * as guidanceCommands from '../../lib/commands/webCourseGuidance';
import { isRefusal } from '../../rules/refusals';
import { whenReached } from '../errors';
import type { AppEnv } from '../context';
import { render } from '../render';
import { mayActOnCase } from '../../lib/policy';
import { requireArea } from '../security/guards';
import { auditOwnCaseOpened } from '../audit/ownCase';

const PAGE_SIZE = 25;
const ListQuery = z.object({ sida: z.coerce.number().int().min(1).max(10_000).catch(1) });
/** What the parent page says after an action (from the redirect's query string). */
const Flash = z.object({
  godkant: z.coerce.number().int().min(1).max(99).optional().catch(undefined),
  klart: z.literal('1').optional().catch(undefined),
  fel: z.string().refine(isRefusal).optional().catch(undefined),
  svar: z.literal('1').optional().catch(undefined),
});
const SignOffForm = z.object({ moduleNumber: z.coerce.number().int().min(1).max(99) });

/** One of the guide's own parents, or 404. */
async function ownParent(c: Context<AppEnv>) {
  const caseNumber = c.req.param('caseNumber') ?? '';
  const app = CASE_NUMBER_PATTERN.test(caseNumber)
    ? await guidedApplication(c.get('deps').db, caseNumber)
    : null;
  // Another guide's parent answers like a missing case (lib/policy).
  if (!app || !mayActOnCase(c.get('user')!, app, 'guide')) throw new HTTPException(404);
  return app;
}

type OwnParent = Awaited<ReturnType<typeof ownParent>>;

/** The module a sign-off would close now, or null when there is none (not started, all done, not admitted). */
function signableModule(app: OwnParent, progress: { current: { number: number } | null }): number | null {
  return app.status === 'admitted' && progress.current ? progress.current.number : null;
}

async function showParent(c: Context<AppEnv>, app: OwnParent, extra: Record<string, unknown> = {}, status: 200 | 422 = 200) {
  const progress = await loadWebCourseProgress(c.get('deps').db, app);
  return render(
    c,
    '/guide/views/parent',
    {
      title: app.caseNumber,
      app,
      progress,
      signable: signableModule(app, progress),
      canAnswer: app.status === 'admitted' || app.status === 'completed',
      diaryMax: DIARY_MAX,
      flash: Flash.parse(c.req.query()),
      values: {},
      ...extra,
    },
    status,
  );
}

export function guideRoutes() {
  const app = new Hono<AppEnv>();
  app.use('/guide', requireArea('guidance'));
  app.use('/guide/*', requireArea('guidance'));

  app.get('/guide', async (c) => {
    const { db } = c.get('deps');
    const { sida } = ListQuery.parse(c.req.query());
    const { inactivityMs } = await loadCaseTimings(db);
    const parents = await listGuidedParents(db, c.get('user')!.id, inactivityMs);
    const pages = Math.max(1, Math.ceil(parents.length / PAGE_SIZE));
    const page = Math.min(sida, pages);
    return render(c, '/guide/views/list', {
      title: c.get('t')('guide.title'),
      parents: parents.slice((page - 1) * PAGE_SIZE, page * PAGE_SIZE),
      total: parents.length,
      behind: parents.filter((p) => p.behind).length,
      inactivity: inactivityText(c, inactivityMs),
      page,
      pages,
      // The guide's web courses, for the compiled evaluations (R5.6).
      courses: await db.course.findMany({
        where: { grants: { some: { personId: c.get('user')!.id, role: 'guide' } } },
        select: { id: true, title: true },
        orderBy: { title: 'asc' },
      }),
    });
  });

  app.get('/guide/:caseNumber', async (c) => {
    const parent = await ownParent(c);
    await auditOwnCaseOpened(c, parent);
    return showParent(c, parent);
  });

  app.post('/guide/:caseNumber/svar', async (c) => {
    const parent = await ownParent(c);
    const form = await c.req.parseBody();
    const body = typeof form.body === 'string' ? form.body : '';
    if (parent.status !== 'admitted' && parent.status !== 'completed') throw new HTTPException(404);
    const parsed = DiaryNoteForm.safeParse(form);
    if (!parsed.success) return showParent(c, parent, { values: { body }, errors: fieldErrors(parsed.error), flash: {} }, 422);
    await writeGuideAnswer(c.get('deps'), parent, c.get('user')!.id, parsed.data.body);
    return c.redirect(`/guide/${parent.caseNumber}?svar=1#diary-heading`, 303);
  });

  app.get('/guide/:caseNumber/godkann', async (c) => {
    const parent = await ownParent(c);
    const progress = await loadWebCourseProgress(c.get('deps').db, parent);
    const moduleNumber = signableModule(parent, progress);
    if (!moduleNumber) return c.redirect(`/guide/${parent.caseNumber}?fel=finished`, 303);
    return render(c, '/guide/views/confirmSignOff', {
      title: c.get('t')('guide.signOff.title', { number: moduleNumber }),
      app: parent,
      module: progress.current,
      isLast: progress.modules.every((m) => m.number <= moduleNumber),
    });
  });

  app.post('/guide/:caseNumber/godkann', async (c) => {
    const parent = await ownParent(c);
    const parsed = SignOffForm.safeParse(await c.req.parseBody());
    if (!parsed.success) throw new HTTPException(400);
    const result = whenReached(
      await guidanceCommands.signOff(c.get('deps').temporal, parent.caseNumber, { moduleNumber: parsed.data.moduleNumber, guideId: c.get('user')!.id }),
    );
    const query = !result.ok ? `fel=${result.code}` : result.finished ? 'klart=1' : `godkant=${result.currentModule}`;
    return c.redirect(`/guide/${parent.caseNumber}?${query}`, 303);
  });

  return app;
}

/** The inactivity setting in words ("7 dagar"), for the list's explanation of "ligger efter". */
function inactivityText(c: Context<AppEnv>, ms: number): string {
  const t = c.get('t');
  const [unit, size] = ms >= 86_400_000 ? ['days', 86_400_000] : ms >= 3_600_000 ? ['hours', 3_600_000] : ['minutes', 60_000];
  return t.plural(`guide.duration.${unit}`, Math.max(1, Math.round(ms / (size as number))));
}

