// Staff pages: group leaders handle their applications (R3.2, R3.4); central staff inspect running
// cases (R9.4, first view). Every staff look at a case is written to its audit trail (R11.5).
import { Hono, type Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { z } from 'zod';
import { handledCourses } from '../../lib/access';
import { CASE_NUMBER_PATTERN } from '../../lib/cases/caseNumber';
import { loadCaseView } from '../../lib/cases/caseView';
import { decideUpdate } from '../../workflows/parentApplication.messages';
import { hasRole, type AppEnv } from '../context';
import { render } from '../render';
import { requireRole } from '../security/guards';
import { runningCases } from './runningCases';

const PAGE_SIZE = 25;
const LIST_FILTER = z.object({
  status: z.enum(['todo', 'submitted', 'queued', 'admitted', 'all']).catch('todo'),
  course: z.string().uuid().optional().catch(undefined),
  page: z.coerce.number().int().min(1).max(10_000).catch(1),
});
type ListStatus = 'submitted' | 'queued' | 'admitted';
const STATUS_FILTER: Record<z.infer<typeof LIST_FILTER>['status'], ListStatus[] | null> = {
  todo: ['submitted', 'queued'],
  submitted: ['submitted'],
  queued: ['queued'],
  admitted: ['admitted'],
  all: null,
};
const DecisionForm = z.object({ decision: z.enum(['admit', 'queue']) });

function scopeOf(c: Context<AppEnv>) {
  const scope = handledCourses(c.get('user')!.grants);
  if (!scope) throw new HTTPException(403);
  return scope;
}

/** A case the staff member may handle, or 404 (another district's case does not exist for them). */
async function handledCase(c: Context<AppEnv>) {
  const caseNumber = c.req.param('caseNumber') ?? '';
  if (!CASE_NUMBER_PATTERN.test(caseNumber)) throw new HTTPException(404);
  const app = await c.get('deps').db.application.findFirst({
    where: { caseNumber, course: scopeOf(c) },
    include: { person: true },
  });
  if (!app) throw new HTTPException(404);
  return app;
}

export function staffRoutes() {
  const app = new Hono<AppEnv>();
  app.use('/personal', requireRole('groupLeader', 'admin', 'central'));
  app.use('/personal/ansokningar', requireRole('groupLeader', 'admin'));
  app.use('/personal/ansokningar/*', requireRole('groupLeader', 'admin'));
  app.use('/personal/arenden', requireRole('central', 'admin'));
  app.use('/personal/arenden/*', requireRole('central', 'admin'));

  app.get('/personal', (c) =>
    render(c, '/staff/views/home', {
      title: c.get('t')('staff.title'),
      canHandle: hasRole(c.get('user'), 'groupLeader', 'admin'),
      canInspect: hasRole(c.get('user'), 'central', 'admin'),
    }),
  );

  app.get('/personal/ansokningar', async (c) => {
    const filter = LIST_FILTER.parse(c.req.query());
    const db = c.get('deps').db;
    const courseScope = scopeOf(c);
    const statuses = STATUS_FILTER[filter.status];
    const where = {
      course: { ...courseScope, ...(filter.course ? { id: filter.course } : {}) },
      ...(statuses ? { status: { in: statuses } } : {}),
    };
    const [total, rows, courses] = await Promise.all([
      db.application.count({ where }),
      db.application.findMany({
        where,
        include: { course: { include: { district: true } } },
        orderBy: { submittedAt: 'asc' },
        skip: (filter.page - 1) * PAGE_SIZE,
        take: PAGE_SIZE,
      }),
      db.course.findMany({
        where: courseScope,
        include: { district: true, _count: { select: { applications: { where: { status: 'admitted' } } } } },
        orderBy: { title: 'asc' },
      }),
    ]);
    return render(c, '/staff/views/applications', {
      title: c.get('t')('staff.applications.title'),
      filter,
      rows,
      courses,
      total,
      pages: Math.max(1, Math.ceil(total / PAGE_SIZE)),
      flash: c.req.query('beslut') ? { outcome: c.req.query('beslut'), caseNumber: c.req.query('arende') } : null,
    });
  });

  app.get('/personal/ansokningar/:caseNumber', async (c) => {
    const app = await handledCase(c);
    const deps = c.get('deps');
    await audit(c, app.id, 'access.viewed');
    const view = await loadCaseView(deps, app.caseNumber);
    return render(c, '/staff/views/application', { title: app.caseNumber, app, view });
  });

  app.post('/personal/ansokningar/:caseNumber/beslut', async (c) => {
    const app = await handledCase(c);
    const parsed = DecisionForm.safeParse(await c.req.parseBody());
    if (!parsed.success) throw new HTTPException(400);
    const handle = c.get('deps').temporal.workflow.getHandle(app.workflowId);
    const result = await handle.executeUpdate(decideUpdate, {
      args: [{ decision: parsed.data.decision, actorId: c.get('user')!.id }],
    });
    const outcome = result.ok ? result.status : result.code;
    return c.redirect(`/personal/ansokningar?beslut=${outcome}&arende=${app.caseNumber}`, 303);
  });

  app.get('/personal/arenden', async (c) => {
    const pageToken = c.req.query('sida');
    const page = await runningCases(c.get('deps'), pageToken);
    return render(c, '/staff/views/running', { title: c.get('t')('staff.running.title'), page, now: Date.now() });
  });

  app.get('/personal/arenden/:caseNumber', async (c) => {
    const caseNumber = c.req.param('caseNumber');
    const view = CASE_NUMBER_PATTERN.test(caseNumber) ? await loadCaseView(c.get('deps'), caseNumber) : null;
    if (!view) throw new HTTPException(404);
    await audit(c, view.id, 'access.inspected');
    return render(c, '/staff/views/inspect', { title: caseNumber, view });
  });

  return app;
}

async function audit(c: Context<AppEnv>, applicationId: string, type: string) {
  await c.get('deps').db.caseEvent.create({ data: { applicationId, type, actor: c.get('user')!.id } });
}
