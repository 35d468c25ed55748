// The case inspector for supervisors (R9.4): every case workflow from Temporal visibility, filtered
// and paged; one case with its live state, waits, timers, history, notices and events; and three
// actions on a stuck case, each confirmed with a reason. Central staff only. Opening a case states
// a reason first (the reason gate, R11.5); the actions need that same pass.
import { Hono, type Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { CASE_NUMBER_PATTERN } from '../../lib/cases/caseNumber';
import { fieldErrors } from '../../lib/validation/fieldErrors';
import {
  CASE_KINDS,
  CASE_STATUSES,
  filterQueryString,
  parseInspectorQuery,
  WAITING_CODES,
  type InspectorFilter,
} from '../../lib/inspector/filters';
import { INSPECTOR_PAGE_SIZE, listCases } from '../../lib/inspector/listing';
import { inspectCase } from '../../lib/inspector/caseDetail';
import { caseNotices, lastNotice } from '../../lib/inspector/notices';
import {
  ACTION_OUTCOMES,
  ACTION_PATHS,
  ActionReasonSchema,
  INSPECTOR_ACTIONS,
  SUCCESSFUL_OUTCOMES,
  takeAction,
  type ActionOutcome,
  type InspectorAction,
} from '../../lib/inspector/actions';
import { webCourseGuidanceWorkflowId } from '../../workflows/webCourseGuidance.messages';
import type { AppEnv } from '../context';
import type { Translate } from '../../lib/i18n';
import { PASS_PARAM, requireStatedReason } from '../audit/reasonGate';
import { render } from '../render';
import { mayActOnCase } from '../../lib/policy';
import { requireArea } from '../security/guards';
import { isClosedStatus } from '../../lib/cases/caseStatus';
import { canMoveCaseToQueue } from '../../rules/anyCase';
import type { ApplicationStatus } from '../../rules/caseStatus';
import { NOTICE_EVENT_PREFIX } from '../../rules/caseEvents';

/** The web course's cases carry this in place of a district (see lib/cases/submitApplication.ts). */
const WEB_DISTRICT = 'webb';
const DAY_MS = 86_400_000;

function ageText(t: Translate, since: Date, now = Date.now()): string {
  const days = Math.floor((now - since.getTime()) / DAY_MS);
  if (days <= 0) return t('inspector.list.today');
  return days === 1 ? t('inspector.list.dayOne') : t('inspector.list.days', { days });
}

const isKnown = (list: readonly string[]) => (v: string | null | undefined) => !!v && list.includes(v);
const knownStatus = isKnown(CASE_STATUSES);
const knownWaiting = isKnown(WAITING_CODES);
const knownKind = isKnown(CASE_KINDS);

/** Districts and courses for the filter form, and for naming the ids on the rows. */
async function filterChoices(c: Context<AppEnv>) {
  const db = c.get('deps').db;
  const t = c.get('t');
  const [districts, courses] = await Promise.all([
    db.district.findMany({ select: { slug: true, name: true }, orderBy: { name: 'asc' } }),
    db.course.findMany({ select: { id: true, title: true, district: { select: { name: true } } }, orderBy: [{ title: 'asc' }, { id: 'asc' }] }),
  ]);
  const districtChoices = [...districts, { slug: WEB_DISTRICT, name: t('inspector.list.webDistrict') }];
  const courseChoices = courses.map((k) => ({ id: k.id, title: k.title, label: k.district ? `${k.title} – ${k.district.name}` : k.title }));
  return { districts: districtChoices, courses: courseChoices };
}

function isFiltered(f: InspectorFilter): boolean {
  return !!(f.caseNumber || f.kind || f.district || f.course || f.status || f.waitingFor || f.waitingDays || f.includeClosed);
}

/** An application by the case number in the address that the policy lets the user inspect, or 404. */
async function caseOf(c: Context<AppEnv>) {
  const caseNumber = c.req.param('caseNumber') ?? '';
  if (!CASE_NUMBER_PATTERN.test(caseNumber)) throw new HTTPException(404);
  const app = await c.get('deps').db.application.findUnique({
    where: { caseNumber },
    select: {
      id: true,
      caseNumber: true,
      kind: true,
      status: true,
      personId: true,
      guideId: true,
      workflowId: true,
      submittedAt: true,
      course: { select: { id: true, districtId: true, title: true, district: { select: { name: true } } } },
    },
  });
  if (!app || !mayActOnCase(c.get('user')!, app, 'inspect')) throw new HTTPException(404);
  return app;
}
type InspectedApp = Awaited<ReturnType<typeof caseOf>>;

const casePath = (caseNumber: string) => `/personal/arenden/${caseNumber}`;

/** An action's page opens, and its form posts, only with a valid pass for the case (the reason gate). */
const actionGate = (c: Context<AppEnv>, inspected: InspectedApp, action: InspectorAction) =>
  requireStatedReason(c, {
    applicationId: inspected.id,
    caseNumber: inspected.caseNumber,
    returnTo: `${casePath(inspected.caseNumber)}/${ACTION_PATHS[action]}`,
  });
const withPass = (path: string, pass: string | undefined, extra = '') =>
  `${path}?${PASS_PARAM}=${encodeURIComponent(pass ?? '')}${extra}`;

async function casePage(c: Context<AppEnv>, app: InspectedApp) {
  const deps = c.get('deps');
  const t = c.get('t');
  const pass = c.req.query(PASS_PARAM);
  const workflowIds = app.kind === 'webCourse' ? [app.workflowId, webCourseGuidanceWorkflowId(app.caseNumber)] : [app.workflowId];
  const [{ main, guidance }, notices, events, last] = await Promise.all([
    inspectCase(deps, app),
    caseNotices(deps.db, workflowIds, app.submittedAt),
    deps.db.caseEvent.findMany({
      where: { applicationId: app.id },
      select: { id: true, type: true, actor: true, data: true, dedupeKey: true, createdAt: true },
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      take: 200,
    }),
    lastNotice(deps.db, app.id),
  ]);
  // Staff who acted on the case, named in one query.
  const actorIds = [...new Set(events.map((e) => e.actor).filter((a) => a !== 'system' && a !== app.personId && /^[0-9a-f-]{36}$/.test(a)))];
  const people = actorIds.length
    ? await deps.db.person.findMany({ where: { id: { in: actorIds } }, select: { id: true, name: true, email: true } })
    : [];
  const names = new Map(people.map((p) => [p.id, p.name || p.email]));
  const eventRows = events.map((e) => {
    const key = `events.${e.type}`;
    const label = t(key) !== key ? t(key) : t('inspector.case.eventOther', { type: e.type.replaceAll('.', ' / ') });
    const actor =
      e.actor === 'system'
        ? t('inspector.case.actors.system')
        : e.actor === app.personId
          ? t('inspector.case.actors.applicant')
          : (names.get(e.actor) ?? t('inspector.case.actors.unknown'));
    const data = (e.data ?? {}) as Record<string, unknown>;
    const reason = e.type.startsWith('inspector.') && typeof data.reason === 'string' ? data.reason : null;
    return { at: e.createdAt, label, actor, reason };
  });
  // Which notice each e-mail or SMS was: its notice event (by key), or the resend event (by id).
  const noticeTypes = new Map(events.filter((e) => e.type.startsWith(NOTICE_EVENT_PREFIX) && e.dedupeKey).map((e) => [e.dedupeKey!, e.type]));
  const resends = new Map(events.filter((e) => e.type === 'inspector.noticeResent').map((e) => [e.id, (e.data as { notice?: unknown }).notice]));
  const noticeRows = notices.map((n) => {
    const resent = n.resentBy ? resends.get(n.resentBy) : undefined;
    const type = n.resentBy ? (typeof resent === 'string' ? `notice.${resent}` : null) : (noticeTypes.get(n.noticeKey) ?? null);
    const key = type ? `events.${type}` : null;
    return { ...n, resent: !!n.resentBy, label: key && t(key) !== key ? t(key) : null };
  });
  const status = main?.status ?? app.status;
  const running = !!main?.running;
  const outcomeParam = c.req.query('utfall');
  const outcome = (ACTION_OUTCOMES as readonly string[]).includes(outcomeParam ?? '') ? (outcomeParam as ActionOutcome) : null;
  return render(c, '/inspector/views/case', {
    title: t('inspector.case.title', { caseNumber: app.caseNumber }),
    app,
    main,
    guidance,
    notices: noticeRows,
    events: eventRows,
    outcome,
    outcomeOk: outcome ? SUCCESSFUL_OUTCOMES.includes(outcome) : false,
    actions: {
      resend: !!last,
      moveToQueue: running && canMoveCaseToQueue({ kind: app.kind, status: status as ApplicationStatus }).ok,
      cancel: running && !isClosedStatus(status),
    },
    actionHref: (action: InspectorAction) => withPass(`${casePath(app.caseNumber)}/${ACTION_PATHS[action]}`, pass),
    knownStatus,
    knownWaiting,
    age: (since: Date) => ageText(t, since),
  });
}

async function actionPage(
  c: Context<AppEnv>,
  app: InspectedApp,
  action: InspectorAction,
  extra: { errors?: Record<string, string>; values?: Record<string, string> } = {},
  status: 200 | 422 = 200,
) {
  const pass = c.req.query(PASS_PARAM);
  const last = action === 'resend' ? await lastNotice(c.get('deps').db, app.id) : null;
  return render(
    c,
    '/inspector/views/action',
    {
      title: c.get('t')(`inspector.actions.${action}.title`, { caseNumber: app.caseNumber }),
      action,
      caseNumber: app.caseNumber,
      caseHref: withPass(casePath(app.caseNumber), pass),
      formAction: withPass(`${casePath(app.caseNumber)}/${ACTION_PATHS[action]}`, pass),
      last: last ? { subject: last.email.subject, at: last.email.createdAt } : null,
      errors: extra.errors ?? {},
      values: extra.values ?? { reason: '' },
    },
    status,
  );
}

export function inspectorRoutes() {
  const app = new Hono<AppEnv>();
  // Supervisors only: not the administrator, not leaders, guides or instructors.
  app.use('/personal/arenden', requireArea('inspector'));
  app.use('/personal/arenden/*', requireArea('inspector'));

  app.get('/personal/arenden', async (c) => {
    const deps = c.get('deps');
    const t = c.get('t');
    const choices = await filterChoices(c);
    const known = { districts: new Set(choices.districts.map((d) => d.slug)), courses: new Set(choices.courses.map((k) => k.id)) };
    const parsed = parseInspectorQuery(c.req.query(), known);
    const common = {
      title: t('inspector.title'),
      ...choices,
      kinds: CASE_KINDS,
      statuses: CASE_STATUSES,
      waitingCodes: WAITING_CODES,
    };
    if (!parsed.ok) {
      return render(c, '/inspector/views/list', { ...common, values: parsed.values, errors: parsed.errors, list: null, problem: null, query: '' }, 400);
    }
    const { filter, page } = parsed;
    const query = filterQueryString(filter);
    const listing = await listCases(deps, filter, page.token);
    const values = { ...filter, waitingDays: filter.waitingDays ? String(filter.waitingDays) : '', includeClosed: filter.includeClosed ? '1' : '' };
    if (!listing.ok) {
      return render(c, '/inspector/views/list', { ...common, values, errors: {}, list: null, problem: listing.problem, query }, listing.problem === 'pageExpired' ? 400 : 503);
    }
    const districtNames = new Map(choices.districts.map((d) => [d.slug, d.name]));
    const courseTitles = new Map(choices.courses.map((k) => [k.id, k.label]));
    const now = Date.now();
    const rows = listing.rows.map((r) => ({
      ...r,
      kindLabel: knownKind(r.kind) ? t(`caseKinds.${r.kind}`) : t('inspector.list.unknown'),
      districtName: r.district ? (districtNames.get(r.district) ?? r.district) : t('inspector.list.cityWide'),
      courseTitle: r.course ? (courseTitles.get(r.course) ?? t('inspector.list.unknown')) : t('inspector.list.unknown'),
      statusLabel: knownStatus(r.status) ? t(`status.${r.status}`) : null,
      waitingLabel: knownWaiting(r.waitingFor) ? t(`inspector.waitingFor.${r.waitingFor}`) : t('inspector.list.unknown'),
      age: r.waitingSince ? ageText(t, r.waitingSince, now) : '',
    }));
    const pages = Math.max(1, Math.ceil(listing.total / INSPECTOR_PAGE_SIZE));
    const list = {
      rows,
      total: listing.total,
      page: page.number,
      pages: Math.max(pages, page.number),
      next: listing.next,
      nextHref: listing.next ? `/personal/arenden?${filterQueryString(filter, { token: listing.next, number: page.number + 1 })}` : null,
    };
    return render(c, '/inspector/views/list', { ...common, values, errors: {}, list, problem: null, query, filtered: isFiltered(filter) });
  });

  app.get('/personal/arenden/:caseNumber', async (c) => {
    const inspected = await caseOf(c);
    const gate = await requireStatedReason(c, { applicationId: inspected.id, caseNumber: inspected.caseNumber, returnTo: casePath(inspected.caseNumber) });
    if (gate) return gate;
    return casePage(c, inspected);
  });

  for (const action of INSPECTOR_ACTIONS) {
    const path = `/personal/arenden/:caseNumber/${ACTION_PATHS[action]}`;
    // The confirmation page: what the action does, and the reason field.
    app.get(path, async (c) => {
      const inspected = await caseOf(c);
      const gate = await actionGate(c, inspected, action);
      if (gate) return gate;
      return actionPage(c, inspected, action);
    });

    app.post(path, async (c) => {
      const inspected = await caseOf(c);
      // The pass that opened the case must still hold; otherwise the reason form comes first, nothing changes.
      const gate = await actionGate(c, inspected, action);
      if (gate) return gate;
      const form = await c.req.parseBody();
      const parsed = ActionReasonSchema.safeParse({ reason: form.reason });
      if (!parsed.success) {
        const values = { reason: typeof form.reason === 'string' ? form.reason.slice(0, 1000) : '' };
        return actionPage(c, inspected, action, { errors: fieldErrors(parsed.error), values }, 422);
      }
      const outcome = await takeAction(c.get('deps'), inspected, action, c.get('user')!.id, parsed.data.reason);
      return c.redirect(withPass(casePath(inspected.caseNumber), c.req.query(PASS_PARAM), `&utfall=${outcome}`), 303);
    });
  }

  return app;
}
