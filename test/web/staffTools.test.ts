// Staff tools that need no manual (issue 16): every staff route family is linked from the start page
// or the menu for exactly the roles its guard admits; the survey builder (add, edit, reorder,
// remove, preview, publish; messages beside fields, 422 never 500); the intake list of reports of
// concern with status and pages; a closed or past course's page; counts in the right plural.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_STAFF } from '../../prisma/seed';
import { TRAINING_TITLE } from '../../prisma/seedTraining';
import { createConcernReport } from '../../lib/chat/conversations';
import type { Draft } from '../../lib/admin/surveyBuilder';
import { createApp } from '../../web/app';
import { STAFF_TOOLS } from '../../web/staff/tools';
import { startStack, type TestStack } from '../support/stack';
import { html, sv } from '../support/text';
import { WebClient } from '../support/webClient';

type Role = 'parent' | 'leaderSodermalm' | 'admin' | 'central' | 'guide' | 'instructor' | 'counsellor';
const ROLES: Role[] = ['parent', 'leaderSodermalm', 'admin', 'central', 'guide', 'instructor', 'counsellor'];

let stack: TestStack;
let app: ReturnType<typeof createApp>;
const clients = new Map<Role, WebClient>();
const as = (role: Role) => clients.get(role)!;
const db = () => stack.deps.db;

beforeAll(async () => {
  stack = await startStack();
  app = createApp(stack.deps);
  for (const role of ROLES) {
    const client = await WebClient.loggedIn(app, stack.deps.db, role === 'parent' ? `foralder-${randomUUID().slice(0, 8)}@example.org` : DEMO_STAFF[role]);
    clients.set(role, client);
  }
});
afterAll(async () => stack?.stop());

const hrefs = (page: string) => [...page.matchAll(/<a\b[^>]*\bhref="([^"]+)"/g)].map((m) => m[1].replace(/&amp;/g, '&'));
const headerOf = (page: string) => /<header class="site-header">([\s\S]*?)<\/header>/.exec(page)?.[1] ?? '';
const mainOf = (page: string) => /<main\b[^>]*>([\s\S]*?)<\/main>/.exec(page)?.[1] ?? '';

// ---- navigation ---------------------------------------------------------------------------------

/** A GET route's family: the page one navigates to; ids, exports and sub-pages belong to it. */
function familyOf(path: string): string {
  const parts = path.replace(/\.csv$/, '').split('/');
  const keep = path.startsWith('/personal/admin/') ? 4 : path.startsWith('/personal/') || path.startsWith('/radgivare/') ? 3 : 2;
  return parts.slice(0, keep).join('/');
}
/** The console's own parts (its live panel, streams, one conversation): reached inside /radgivare. */
const CONSOLE_PARTS = ['/radgivare/panel', '/radgivare/handelser', '/radgivare/samtal'];
/** Pages of one course, reached from the lists of the courses one handles. */
const COURSE_PAGES = '/personal/kurser';

describe('staff navigation', () => {
  it('has a tool in the one list for every staff route family', () => {
    const families = new Set(
      app.routes.filter((r) => r.method === 'GET' && /^\/(personal|guide|instruktor|radgivare)(\/|$)/.test(r.path)).map((r) => familyOf(r.path)),
    );
    const missing = [...families].filter((f) => f !== '/personal' && f !== COURSE_PAGES && !CONSOLE_PARTS.includes(f) && !STAFF_TOOLS.some((t) => t.href === f));
    expect(missing).toEqual([]);
    expect(families.size).toBeGreaterThan(15);
  });

  it.each(ROLES)('links, for %s, exactly the tools its guards admit, from the menu and the start page', async (role) => {
    const client = as(role);
    const home = await client.get('/personal');
    const homePage = await home.text();
    const menu = hrefs(headerOf(await (await client.get('/kurser')).text()));
    // The start page is linked for those it admits (lib/policy's staffHome), and only for them.
    expect([200, 403]).toContain(home.status);
    if (home.status === 200) expect(menu).toContain('/personal');
    else expect(menu).not.toContain('/personal');
    if (role === 'parent') expect(home.status).toBe(403);
    if (role === 'leaderSodermalm' || role === 'admin' || role === 'central') expect(home.status).toBe(200);
    const linked = new Set([...menu, ...(home.status === 200 ? hrefs(mainOf(homePage)) : [])]);
    // Without the start page, the desks in the menu are where one starts (the counsellor's console).
    if (home.status !== 200) for (const desk of menu.filter((h) => STAFF_TOOLS.some((t) => t.href === h))) for (const h of hrefs(mainOf(await (await client.get(desk)).text()))) linked.add(h);
    const problems: string[] = [];
    for (const tool of STAFF_TOOLS) {
      const status = (await client.get(tool.href)).status;
      const admitted = status === 200;
      if (status >= 500) problems.push(`${tool.href}: ${status}`);
      if (admitted && !linked.has(tool.href)) problems.push(`${tool.href} admits ${role} but is not linked`);
      if (!admitted && linked.has(tool.href)) problems.push(`${tool.href} is linked for ${role} but answers ${status}`);
    }
    expect(problems).toEqual([]);
  });

  it('reaches the pages of one course from the list of the courses a leader handles', async () => {
    const list = await (await as('leaderSodermalm').get('/personal/ansokningar')).text();
    const coursePages = hrefs(list).filter((h) => h.startsWith(`${COURSE_PAGES}/`));
    expect(coursePages.some((h) => h.endsWith('/traffar'))).toBe(true);
    expect(coursePages.some((h) => h.endsWith('/material'))).toBe(true);
    expect(coursePages.some((h) => h.endsWith('/utvardering'))).toBe(true);
    for (const href of coursePages.slice(0, 3)) expect((await as('leaderSodermalm').get(href)).status).toBe(200);
  });

  it('names the roles with the one set of role labels', async () => {
    const page = await (await as('central').get('/personal')).text();
    expect(page).toContain(html(sv('roles.central')));
    // A role without the start page finds its own desk in the menu.
    expect(hrefs(headerOf(await (await as('counsellor').get('/')).text()))).toContain('/radgivare');
    expect(hrefs(headerOf(await (await as('instructor').get('/')).text()))).toContain('/instruktor');
    const grants = await (await as('admin').get('/personal/admin/behorigheter')).text();
    for (const role of ['groupLeader', 'instructor', 'counsellor']) expect(grants).toContain(html(sv(`roles.${role}`)));
  });
});

// ---- the survey builder -------------------------------------------------------------------------

const BUILDER = '/personal/admin/enkater/courseEvaluation';

/** The builder's fields for a draft, named as the form names them. */
function formOf(draft: Draft, action: string): Record<string, string> {
  const form: Record<string, string> = { title: draft.title, count: String(draft.questions.length), action };
  draft.questions.forEach((q, i) => {
    const p = `q${i}_`;
    Object.assign(form, { [`${p}id`]: q.id, [`${p}type`]: q.type, [`${p}text`]: q.text, [`${p}anchors`]: q.anchors, [`${p}tr`]: q.tr, [`${p}optionCount`]: String(q.options.length) });
    if (q.required) form[`${p}required`] = 'yes';
    q.options.forEach((o, j) => Object.assign(form, { [`${p}o${j}_value`]: o.value, [`${p}o${j}_text`]: o.text, [`${p}o${j}_tr`]: o.tr }));
  });
  return form;
}

const draft: Draft = {
  title: 'Kursutvärdering (byggd)',
  questions: [
    { id: 'overall', type: 'scale', text: 'Hur var kursen?', required: true, anchors: 'amount', tr: '{"en":"How was the course?"}', options: [] },
    {
      id: 'format',
      type: 'single',
      text: 'Vilken form passade dig?',
      required: true,
      anchors: 'amount',
      tr: '',
      options: [
        { value: 'group', text: 'Grupp', tr: '' },
        { value: 'web', text: 'Webb', tr: '' },
      ],
    },
    { id: 'more', type: 'text', text: 'Något mer?', required: false, anchors: 'amount', tr: '', options: [] },
  ],
};

/** The question texts in the builder's order. */
const questionTexts = (page: string) => [...page.matchAll(/name="q(\d+)_text"[^>]*value="([^"]*)"/g)].map((m) => m[2]);

describe('the survey builder', () => {
  it('is the admin’s: others get 403', async () => {
    expect((await as('leaderSodermalm').get(BUILDER)).status).toBe(403);
    expect((await as('central').post(BUILDER, formOf(draft, 'publish'))).status).toBe(403);
  });

  it('starts from the latest version as fields, not JSON', async () => {
    const page = await (await as('admin').get(BUILDER)).text();
    const latest = await db().surveyDefinition.findFirstOrThrow({ where: { kind: 'courseEvaluation' }, orderBy: { version: 'desc' } });
    const texts = questionTexts(page);
    expect(texts.length).toBe((latest.questions as unknown[]).length);
    expect(page).not.toContain('name="questions"');
    expect(page).toContain('hx-post="/personal/admin/enkater/courseEvaluation"');
  });

  it('adds a question of each kind, a choice one with two options', async () => {
    let form = formOf(draft, 'add:multiple');
    const res = await as('admin').post(BUILDER, form);
    expect(res.status).toBe(200);
    const page = await res.text();
    expect(page).toContain('name="count" value="4"');
    expect(page).toContain('name="q3_type" value="multiple"');
    expect(page).toContain('name="q3_o1_text"');
    expect(page).toMatch(/<li id="q3"[^>]*autofocus/);
    form = formOf({ ...draft, questions: [] }, 'add:scale');
    expect(await (await as('admin').post(BUILDER, form)).text()).toContain('name="q0_type" value="scale"');
  });

  it('moves a question up and down and removes one, keeping what was typed', async () => {
    const up = await (await as('admin').post(BUILDER, formOf(draft, 'up:2'))).text();
    expect(questionTexts(up)).toEqual(['Hur var kursen?', 'Något mer?', 'Vilken form passade dig?']);
    const down = await (await as('admin').post(BUILDER, formOf(draft, 'down:0'))).text();
    expect(questionTexts(down)).toEqual(['Vilken form passade dig?', 'Hur var kursen?', 'Något mer?']);
    const removed = await (await as('admin').post(BUILDER, formOf(draft, 'remove:1'))).text();
    expect(questionTexts(removed)).toEqual(['Hur var kursen?', 'Något mer?']);
    const option = await (await as('admin').post(BUILDER, formOf(draft, 'addOption:1'))).text();
    expect(option).toContain('name="q1_o2_text"');
    expect(option).toContain('value="Webb"');
  });

  it('previews the questions as the person answering sees them', async () => {
    const page = await (await as('admin').post(BUILDER, formOf(draft, 'preview'))).text();
    const preview = /<section id="preview"[\s\S]*?<\/section>/.exec(page)?.[0] ?? '';
    expect(preview).toContain('Vilken form passade dig?');
    expect(preview).toContain('Grupp');
    expect(preview).toContain(html(`1 – ${sv('surveys.anchors.amount.low')}`));
    expect(preview).toContain('type="radio"');
    expect(await db().surveyDefinition.count({ where: { title: draft.title } })).toBe(0);
  });

  it('refuses a draft with a message beside each wrong field (422; 200 to htmx), storing nothing', async () => {
    const before = await db().surveyDefinition.count();
    const wrong: Draft = {
      title: ' ',
      questions: [
        { ...draft.questions[0], text: '' },
        { ...draft.questions[1], options: [{ value: 'group', text: 'Grupp', tr: '' }] },
        { ...draft.questions[1], id: 'format2', options: [{ value: 'a', text: 'Ja', tr: '' }, { value: 'b', text: '', tr: '' }] },
      ],
    };
    const res = await as('admin').post(BUILDER, formOf(wrong, 'publish'));
    expect(res.status).toBe(422);
    const page = await res.text();
    expect(page).toContain('id="f-title-error"');
    expect(page).toMatch(new RegExp(`id="f-q0_text-error"[^>]*>[\\s\\S]*?${sv('admin.surveys.builder.errors.text')}`));
    expect(page).toMatch(new RegExp(`id="f-q1_options-error"[^>]*>[\\s\\S]*?${sv('admin.surveys.builder.errors.options')}`));
    expect(page).toContain('id="f-q2_o1_text-error"');
    expect(page).toContain('href="#f-q0_text"');
    const empty = await as('admin').post(BUILDER, formOf({ title: 'Tom', questions: [] }, 'publish'));
    expect(empty.status).toBe(422);
    expect(await empty.text()).toContain(sv('admin.surveys.builder.errors.none'));
    const htmx = await as('admin').send(BUILDER, {
      method: 'POST',
      body: new URLSearchParams({ _csrf: as('admin').cookie('komet_csrf') ?? '', ...formOf(wrong, 'publish') }),
      headers: { origin: 'http://localhost', 'content-type': 'application/x-www-form-urlencoded', 'hx-request': 'true' },
    });
    expect(htmx.status).toBe(200);
    expect(await htmx.text()).toContain('id="f-q0_text-error"');
    expect(await db().surveyDefinition.count()).toBe(before);
  });

  it('never answers 500 to a tampered form', async () => {
    for (const form of [
      { ...formOf(draft, 'up:abc') },
      { ...formOf(draft, 'remove:99') },
      { ...formOf(draft, 'publish'), count: '100000' },
      { ...formOf(draft, 'publish'), q0_type: 'slider', q0_tr: '{not json' },
      { ...formOf(draft, 'publish'), q1_o0_value: 'Ogiltigt värde!' },
    ]) {
      const res = await as('admin').post(BUILDER, form);
      expect(res.status).toBeLessThan(500);
      expect([200, 303, 422]).toContain(res.status);
    }
  });

  it('publishes the draft as the next version, options and translations kept', async () => {
    const last = await db().surveyDefinition.findFirst({ where: { kind: 'courseEvaluation' }, orderBy: { version: 'desc' } });
    const res = await as('admin').post(BUILDER, formOf({ ...draft, title: 'Kursutvärdering v-ny' }, 'publish'));
    expect(res.status).toBe(303);
    const version = (last?.version ?? 0) + 1;
    expect(res.headers.get('location')).toBe(`${BUILDER}?version=${version}`);
    const stored = await db().surveyDefinition.findUniqueOrThrow({ where: { kind_version: { kind: 'courseEvaluation', version } } });
    expect(stored.title).toBe('Kursutvärdering v-ny');
    expect(stored.questions).toEqual([
      { id: 'overall', type: 'scale', text: 'Hur var kursen?', required: true, anchors: 'amount', translations: { en: 'How was the course?' } },
      { id: 'format', type: 'single', text: 'Vilken form passade dig?', required: true, options: [{ value: 'group', text: 'Grupp' }, { value: 'web', text: 'Webb' }] },
      { id: 'more', type: 'text', text: 'Något mer?', required: false },
    ]);
    expect(await (await as('admin').get(`${BUILDER}?version=${version}`)).text()).toContain(sv('admin.surveys.published', { version }));
  });
});

// ---- reports of concern -------------------------------------------------------------------------

const INTAKE = '/radgivare/orosanmalningar';

describe('the intake list of reports of concern', () => {
  let first: string;

  beforeAll(async () => {
    const made = await as('counsellor').post('/radgivare/orosanmalan', { body: 'Besökaren berättar om oro för ett yngre syskon.', formKey: randomUUID() });
    expect(made.status).toBe(303);
    first = /KOM-\d{4}-\d{6}/.exec(made.headers.get('location') ?? '')![0];
  });

  it('is for the counsellors who receive the reports, linked from their console', async () => {
    expect((await as('leaderSodermalm').get(INTAKE)).status).toBe(403);
    expect((await as('central').get(`${INTAKE}/${first}`)).status).toBe(403);
    expect((await as('parent').post(`${INTAKE}/${first}/ta`, {})).status).toBe(403);
    expect(hrefs(await (await as('counsellor').get('/radgivare')).text())).toContain(INTAKE);
  });

  it('lists a new report with its status, and opens it with an audit entry', async () => {
    const list = await (await as('counsellor').get(INTAKE)).text();
    expect(list).toMatch(new RegExp(`data-report="${first}"[\\s\\S]*?${sv('concerns.status.new')}`));
    const before = await db().auditEntry.count({ where: { caseNumber: first } });
    const page = await as('counsellor').get(`${INTAKE}/${first}`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('Besökaren berättar om oro för ett yngre syskon.');
    expect(await db().auditEntry.count({ where: { caseNumber: first, action: 'caseOpened' } })).toBe(before + 1);
  });

  it('moves a report from new to in progress to handled, once each', async () => {
    const taken = await as('counsellor').post(`${INTAKE}/${first}/ta`, {});
    expect(taken.headers.get('location')).toBe(`${INTAKE}/${first}?klart=take`);
    const row = await db().concernReport.findUniqueOrThrow({ where: { caseNumber: first }, include: { handler: true } });
    expect(row.status).toBe('inProgress');
    expect(row.handler?.email).toBe(DEMO_STAFF.counsellor);
    // Taken already: a second take (another tab, a colleague) is refused, not repeated.
    expect((await as('counsellor').post(`${INTAKE}/${first}/ta`, {})).headers.get('location')).toBe(`${INTAKE}/${first}?fel=not-allowed`);
    expect(await (await as('counsellor').get(`${INTAKE}/${first}?fel=not-allowed`)).text()).toContain(sv('concerns.refused'));
    await as('counsellor').post(`${INTAKE}/${first}/hanterad`, {});
    expect((await db().concernReport.findUniqueOrThrow({ where: { caseNumber: first } })).status).toBe('handled');
    // Handled reports leave the default list ("not handled") and show under "handled".
    expect(await (await as('counsellor').get(INTAKE)).text()).not.toContain(`data-report="${first}"`);
    expect(await (await as('counsellor').get(`${INTAKE}?status=handled`)).text()).toContain(`data-report="${first}"`);
    expect((await as('counsellor').post(`${INTAKE}/KOM-2026-999999/ta`, {})).status).toBe(404);
    expect((await as('counsellor').get(`${INTAKE}/inte-ett-nummer`)).status).toBe(404);
  });

  it('pages a long list, 25 a page, with a count in the right plural', async () => {
    const counsellor = await db().person.findUniqueOrThrow({ where: { email: DEMO_STAFF.counsellor } });
    for (let i = 0; i < 26; i++) await createConcernReport(stack.deps, counsellor.id, `Oro nummer ${i} som beskrivs med egna ord.`);
    const one = await (await as('counsellor').get(`${INTAKE}?status=handled`)).text();
    expect(one).toContain(sv('concerns.count.one', { total: 1, first: 1, last: 1 }));
    const page1 = await (await as('counsellor').get(INTAKE)).text();
    expect(page1).toContain(sv('concerns.count.other', { total: 26, first: 1, last: 25 }));
    expect(page1).toContain('href="?status=open&amp;sida=2"');
    const page2 = await (await as('counsellor').get(`${INTAKE}?status=open&sida=2`)).text();
    expect([...page2.matchAll(/data-report="/g)].length).toBe(1);
    expect((await as('counsellor').get(`${INTAKE}?status=nonsense&sida=-4`)).status).toBe(200);
  });
});

// ---- closed and past courses, plurals -----------------------------------------------------------

describe('a closed or past course', () => {
  it('says the course is closed and links to open courses, on its page and instead of the form', async () => {
    const course = await db().course.findFirstOrThrow({ where: { district: { slug: 'sodermalm' }, kind: 'groupCourse', status: 'open' } });
    await db().course.update({ where: { id: course.id }, data: { status: 'closed' } });
    try {
      for (const res of [await app.request(`/kurser/${course.id}`), await as('parent').get(`/kurser/${course.id}/ansok`)]) {
        expect(res.status).toBe(200);
        const page = await res.text();
        expect(page).toContain('data-course-state="closed"');
        expect(page).toContain(sv('courses.closed.closed'));
        expect(page).not.toContain('name="personnummer"');
        expect(hrefs(page)).toContain('/kurser');
        expect(hrefs(page).filter((h) => /^\/kurser\/[0-9a-f-]{36}$/.test(h)).length).toBeGreaterThan(0);
      }
      const english = await (await app.request(`/kurser/${course.id}?lang=en`)).text();
      expect(english).toContain('This course is closed.');
    } finally {
      await db().course.update({ where: { id: course.id }, data: { status: 'open' } });
    }
  });

  it('says a course whose last session has passed is over; a training links to open trainings', async () => {
    const training = await db().course.findFirstOrThrow({ where: { title: TRAINING_TITLE }, include: { sessions: true } });
    const saved = training.sessions.map((s) => ({ id: s.id, startsAt: s.startsAt, endsAt: s.endsAt }));
    // Three years back, each session as it was (rooms may not be double-booked).
    const back = 3 * 365 * 86_400_000;
    for (const s of saved) await db().courseSession.update({ where: { id: s.id }, data: { startsAt: new Date(s.startsAt.getTime() - back), endsAt: new Date(s.endsAt.getTime() - back) } });
    try {
      const page = await (await app.request(`/utbildningar/${training.id}`)).text();
      expect(page).toContain('data-course-state="past"');
      expect(page).toContain(sv('courses.closed.past'));
      expect(hrefs(page)).toContain('/utbildningar');
    } finally {
      for (const s of saved) await db().courseSession.update({ where: { id: s.id }, data: { startsAt: s.startsAt, endsAt: s.endsAt } });
    }
    expect(await (await app.request(`/utbildningar/${training.id}`)).text()).not.toContain('data-course-state');
  });

  it('still answers 404 for a course that was never published', async () => {
    const course = await db().course.findFirstOrThrow({ where: { kind: 'groupCourse', status: 'open' } });
    await db().course.update({ where: { id: course.id }, data: { status: 'draft' } });
    try {
      expect((await app.request(`/kurser/${course.id}`)).status).toBe(404);
    } finally {
      await db().course.update({ where: { id: course.id }, data: { status: 'open' } });
    }
  });
});

describe('counts on the pages', () => {
  it('say "1 kurs", never "1 kurser"', async () => {
    const home = await (await app.request('/')).text();
    expect(home).not.toMatch(/\b1 kurser\b/);
    const districts = await db().district.findMany({ include: { _count: { select: { courses: { where: { status: 'open', kind: 'groupCourse' } } } } } });
    const single = districts.find((d) => d._count.courses === 1);
    if (single) expect(home).toContain(sv('home.courseCount.one', { count: 1 }));
    const course = await db().course.findFirstOrThrow({ where: { kind: 'webCourse', status: 'open' } });
    const list = await (await app.request('/kurser?kind=webCourse')).text();
    const total = await db().course.count({ where: { kind: 'webCourse', status: 'open' } });
    expect(list).toContain(sv(total === 1 ? 'courses.count.one' : 'courses.count.other', { count: total }));
    expect(course).toBeTruthy();
  });
});
