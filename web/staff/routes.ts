// Staff pages: group leaders handle their applications (R3.2, R3.3, R3.4): a filtered working list
// with bulk decisions and CSV export, the case page with removal and messages. Every staff look at
// a case is written to the audit trail (R11.5).
import { Hono, type Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { z } from 'zod';
import { CASE_NUMBER_PATTERN } from '../../lib/cases/caseNumber';
import { loadCaseView, type CaseView } from '../../lib/cases/caseView';
import { stockholmDateString } from '../../lib/time';
import {
  decideMany,
  filterQueryString,
  loadWorkingList,
  parseWorkingListQuery,
  previewBulkAdmission,
  summarizeBulk,
  workingListCsv,
  type CsvLabels,
} from '../../lib/cases/workingList';
import * as caseCommands from '../../lib/commands/case';
import * as parentCommands from '../../lib/commands/parentApplication';
import { canRemove, type ParentCaseStatus } from '../../rules/parentCase';
import { isRefusal } from '../../rules/refusals';
import type { AppEnv } from '../context';
import { whenReached } from '../errors';
import { changeDeadline, showDeadlines } from './deadlines';
import { runningDeadlines } from '../../lib/cases/deadlines';
import { courseScope, mayChangeDeadline, mayEnter, type CaseAction } from '../../lib/policy';
import { caseFor } from '../../lib/policy/load';
import { translator } from '../../lib/i18n';
import { invalidFormStatus, messagePanelData, postMessageFromForm } from '../messages/panel';
import { render } from '../render';
import { requireArea } from '../security/guards';
import { auditOwnCaseOpened } from '../audit/ownCase';
import { toolGroupsFor } from './tools';

const DecisionForm = z.object({ decision: z.enum(['admit', 'queue']) });
const BULK_MAX = 100;
/** A participant can be removed while they hold or wait for a seat (R2.9, rules/parentCase.ts). */
const removable = (status: string) => canRemove(status as ParentCaseStatus).ok;

/** The courses whose working list the staff member sees (lib/policy); none is 403. */
function scopeOf(c: Context<AppEnv>) {
  const scope = courseScope(c.get('user')!);
  if (!scope) throw new HTTPException(403);
  return scope;
}

/** A case the policy lets the staff member take this action on, or 404 (another district's case does not exist for them). */
async function handledCase(c: Context<AppEnv>, action: CaseAction = 'handle') {
  const app = await caseFor(c.get('deps').db, c.get('user')!, c.req.param('caseNumber'), action);
  if (!app) throw new HTTPException(404);
  return app;
}

type HandledCase = Awaited<ReturnType<typeof handledCase>>;

async function showCase(c: Context<AppEnv>, app: HandledCase, extra: Record<string, unknown> = {}, status: 200 | 422 = 200) {
  const view = (await loadCaseView(c.get('deps'), app.caseNumber)) as CaseView;
  const messages = await messagePanelData(c, app.id, `/personal/ansokningar/${app.caseNumber}/meddelanden`, 'staff');
  const removed = c.req.query('borttagen');
  return render(
    c,
    '/staff/views/application',
    {
      title: app.caseNumber,
      app,
      view,
      removable: removable(view.status),
      removal: removed === 'done' ? removed : null,
      refusal: isRefusal(c.req.query('nekad')) ? c.req.query('nekad') : null,
      deadlineChanged: c.req.query('tidsfrist') === 'andrad',
      deadlines: (await runningDeadlines(c.get('deps').db, app.id)).filter((d) => mayChangeDeadline(c.get('user')!, d.kind)),
      ...messages,
      ...extra,
    },
    status,
  );
}

/** The list's filter from a bulk form's hidden field; only known keys survive. */
function returnQuery(raw: unknown): string {
  if (typeof raw !== 'string') return '';
  const parsed = parseWorkingListQuery(Object.fromEntries(new URLSearchParams(raw)));
  return parsed.ok ? filterQueryString(parsed.filter, parsed.filter.page) : '';
}

export function staffRoutes() {
  const app = new Hono<AppEnv>();
  app.use('/personal', requireArea('staffHome'));
  app.use('/personal/ansokningar', requireArea('caseHandling'));
  app.use('/personal/ansokningar/*', requireArea('caseHandling'));

  app.get('/personal', (c) =>
    render(c, '/staff/views/home', {
      title: c.get('t')('staff.title'),
      groups: toolGroupsFor(c.get('user')),
      roles: [...new Set(c.get('user')!.grants.map((g) => g.role).filter((r) => r !== 'parent'))],
    }),
  );

  app.get('/personal/ansokningar', async (c) => {
    const db = c.get('deps').db;
    const courseScope = scopeOf(c);
    const parsed = parseWorkingListQuery(c.req.query());
    const courses = await db.course.findMany({
      where: courseScope,
      include: { district: true, _count: { select: { applications: { where: { status: 'admitted' } } } } },
      orderBy: { title: 'asc' },
    });
    // The outcome of a decision, after its redirect: only known outcomes and case numbers are shown.
    const outcome = c.req.query('beslut');
    const caseNumber = c.req.query('arende') ?? '';
    const known = outcome === 'admitted' || outcome === 'queued' || isRefusal(outcome);
    const flash = known && CASE_NUMBER_PATTERN.test(caseNumber) ? { outcome, caseNumber } : null;
    const data = parsed.ok
      ? { filter: parsed.filter, values: parsed.filter, query: filterQueryString(parsed.filter), list: await loadWorkingList(db, courseScope, parsed.filter) }
      : { filter: null, values: parsed.values, query: '', list: null, errors: parsed.errors };
    // htmx swaps only 2xx answers, so it gets the messages as 200; a plain browser 400.
    const status = parsed.ok || c.req.header('hx-request') === 'true' ? 200 : 400;
    // The htmx-upgraded filter form swaps the list alone.
    const view = c.req.header('hx-target') === 'working-list' ? '/staff/views/workingList' : '/staff/views/applications';
    return render(c, view, { title: c.get('t')('staff.applications.title'), courses, flash, ...data }, status);
  });

  app.get('/personal/ansokningar/export', async (c) => {
    const parsed = parseWorkingListQuery(c.req.query());
    // The list page explains what is wrong with the filter.
    if (!parsed.ok) return c.redirect(`/personal/ansokningar?${new URLSearchParams(parsed.values)}`, 303);
    const sv = translator('sv');
    const labels: CsvLabels = {
      header: [
        sv('workingList.csv.caseNumber'),
        sv('workingList.csv.course'),
        sv('workingList.csv.district'),
        sv('workingList.csv.status'),
        sv('workingList.csv.submitted'),
        sv('workingList.csv.name'),
        sv('workingList.csv.email'),
        sv('workingList.csv.phone'),
      ],
      status: (s) => sv(`workingList.statuses.${s}`),
      noDistrict: sv('workingList.csv.noDistrict'),
    };
    const csv = await workingListCsv(c.get('deps').db, scopeOf(c), parsed.filter, labels);
    const fileName = `${sv('workingList.csv.fileName')}-${stockholmDateString(new Date())}.csv`;
    return c.body(csv, 200, {
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': `attachment; filename="${fileName}"`,
    });
  });

  // Bulk decisions: the first post shows what will happen; the confirmed one decides.
  app.post('/personal/ansokningar/massbeslut', async (c) => {
    const form = await c.req.parseBody({ all: true });
    const decision = DecisionForm.safeParse({ decision: form.decision });
    if (!decision.success) throw new HTTPException(400);
    const picked = ([] as unknown[]).concat(form.cases ?? []);
    const caseNumbers = [...new Set(picked.filter((n): n is string => typeof n === 'string' && CASE_NUMBER_PATTERN.test(n)))];
    const back = returnQuery(form.back);
    const data = { title: c.get('t')('workingList.bulk.confirmTitle'), decision: decision.data.decision, caseNumbers, back };
    if (caseNumbers.length === 0) return render(c, '/staff/views/bulkConfirm', { ...data, problem: 'workingList.bulk.none' }, 422);
    if (caseNumbers.length > BULK_MAX) return render(c, '/staff/views/bulkConfirm', { ...data, problem: 'workingList.bulk.tooMany' }, 422);
    if (form.confirm !== 'yes') {
      const plan = decision.data.decision === 'admit' ? await previewBulkAdmission(c.get('deps').db, scopeOf(c), caseNumbers) : null;
      return render(c, '/staff/views/bulkConfirm', { ...data, plan });
    }

    const outcomes = await decideMany(c.get('deps'), scopeOf(c), caseNumbers, decision.data.decision, c.get('user')!.id);
    const t = c.get('t');
    const summary = summarizeBulk(outcomes)
      .map((g) =>
        t(`workingList.summary.${g.result}.${g.caseNumbers.length === 1 ? 'one' : 'other'}`, {
          count: g.caseNumbers.length,
          cases: g.caseNumbers.join(', '),
        }),
      )
      .join(', ');
    return render(c, '/staff/views/bulkResult', { title: t('workingList.bulk.resultTitle'), summary, outcomes, back });
  });

  app.get('/personal/ansokningar/:caseNumber', async (c) => {
    const app = await handledCase(c);
    await auditOwnCaseOpened(c, app);
    return showCase(c, app);
  });

  app.post('/personal/ansokningar/:caseNumber/beslut', async (c) => {
    const app = await handledCase(c, 'decide');
    const parsed = DecisionForm.safeParse(await c.req.parseBody());
    if (!parsed.success) throw new HTTPException(400);
    const result = whenReached(
      await parentCommands.decide(c.get('deps').temporal, app.workflowId, { decision: parsed.data.decision, actorId: c.get('user')!.id }),
    );
    const outcome = result.ok ? result.status : result.code;
    return c.redirect(`/personal/ansokningar?beslut=${outcome}&arende=${app.caseNumber}`, 303);
  });

  // Removing a participant (R2.9): a confirmation page, then the case's workflow withdraws it,
  // frees the seat and offers it to the first in the queue.
  app.get('/personal/ansokningar/:caseNumber/ta-bort', async (c) => {
    const app = await handledCase(c, 'remove');
    const view = await loadCaseView(c.get('deps'), app.caseNumber);
    if (!view || !removable(view.status)) return c.redirect(`/personal/ansokningar/${app.caseNumber}?nekad=not-withdrawable`, 303);
    return render(c, '/staff/views/removeConfirm', { title: c.get('t')('removeParticipant.action'), app });
  });

  app.post('/personal/ansokningar/:caseNumber/ta-bort', async (c) => {
    const app = await handledCase(c, 'remove');
    const result = whenReached(await caseCommands.withdraw(c.get('deps').temporal, app.workflowId, { actorId: c.get('user')!.id, byStaff: true }));
    return c.redirect(`/personal/ansokningar/${app.caseNumber}?${result.ok ? 'borttagen=done' : `nekad=${result.code}`}`, 303);
  });

  // A running deadline moved, with a reason (feature table row 64).
  app.get('/personal/ansokningar/:caseNumber/tidsfrist', async (c) => showDeadlines(c, await handledCase(c, 'changeDeadline')));
  app.post('/personal/ansokningar/:caseNumber/tidsfrist', async (c) => changeDeadline(c, await handledCase(c, 'changeDeadline')));

  app.post('/personal/ansokningar/:caseNumber/meddelanden', async (c) => {
    const app = await handledCase(c, 'message');
    const posted = await postMessageFromForm(c, app.id, 'staff');
    if (!posted.ok) return showCase(c, app, { messageErrors: posted.errors, messageValue: posted.value }, invalidFormStatus(c));
    return c.redirect(`/personal/ansokningar/${app.caseNumber}?meddelande=skickat#meddelanden`, 303);
  });

  return app;
}

