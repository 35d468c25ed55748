// A sweep over the whole UI (R1.3, R1.5): every important page, for every demo role and a parent
// with a case, in every language (Swedish, easy-to-read Swedish, Arabic, English), never answers 500,
// answers 200 to the roles that may see it, shows no untranslated key (a missing key renders as the
// key itself, see lib/i18n/index.ts), and has the right <html lang dir>: the chosen language's on
// the citizen's pages (easy-to-read Swedish is lang="sv"; Arabic is dir="rtl"), where no Swedish
// text leaks in; Swedish on staff pages in a citizen-only language.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_STAFF } from '../../prisma/seed';
import { TRAINING_TITLE } from '../../prisma/seedTraining';
import { WEB_COURSE_TITLE } from '../../prisma/seedWebCourse';
import { SURVEY_KINDS } from '../../lib/admin/surveyVersions';
import { TEMPLATE_KEYS, TEMPLATE_LANGS } from '../../lib/templates/messageTemplates';
import { createApp } from '../../web/app';
import { DEFAULT_LANG, dictionaries, keysOf, LANGS, LANGUAGES, lookup, type Lang } from '../../lib/i18n';
import { decideUpdate, parentApplicationWorkflowId, statusQuery } from '../../workflows/parentApplication.messages';
import { eventually } from '../support/eventually';
import { nextPersonnummer } from '../support/personnummer';
import { startStack, type TestStack } from '../support/stack';
import { VALID_FORM, WebClient, VALID_ENROLMENT_FORM } from '../support/webClient';

type Role = 'anonymous' | 'parent' | keyof Omit<typeof DEMO_STAFF, 'leaderRinkeby'>;
const ROLES: Role[] = ['anonymous', 'parent', 'leaderSodermalm', 'admin', 'central', 'guide', 'instructor', 'counsellor'];
const ANYONE = ROLES;
const SIGNED_IN = ROLES.filter((r) => r !== 'anonymous');

interface Ids {
  courseId: string;
  webCourseId: string;
  trainingId: string;
  courseSessionId: string;
  trainingSessionId: string;
  roomId: string;
  /** The parent's two cases: one waiting for the leader, one admitted. */
  submittedCase: string;
  admittedCase: string;
  /** The same person's enrolment in the professionals' training, waiting for the manager's consent. */
  enrolmentCase: string;
}

interface Page {
  path: (ids: Ids) => string;
  /** Roles that must get 200; every other role must get an answer below 500 (redirect, 403, 404). */
  ok: readonly Role[];
  /** A page of the public or the citizen's own (R1.5): shown in easy-to-read Swedish and Arabic too. */
  citizen?: true;
}

const PAGES: Page[] = [
  { path: () => '/', ok: ANYONE, citizen: true },
  { path: () => '/kurser', ok: ANYONE, citizen: true },
  { path: (i) => `/kurser/${i.courseId}`, ok: ANYONE, citizen: true },
  { path: (i) => `/kurser/${i.webCourseId}`, ok: ANYONE, citizen: true },
  { path: () => '/utbildningar', ok: ANYONE },
  { path: (i) => `/utbildningar/${i.trainingId}`, ok: ANYONE },
  { path: () => '/logga-in', ok: ['anonymous'], citizen: true },
  { path: (i) => `/kurser/${i.courseId}/ansok`, ok: ['parent'], citizen: true },
  // The parent has answers waiting for the web course: the check page and the draft in Mina ärenden (issue 16).
  { path: (i) => `/kurser/${i.webCourseId}/ansok`, ok: ['parent'], citizen: true },
  { path: (i) => `/kurser/${i.webCourseId}/ansok/kontrollera`, ok: ['parent'], citizen: true },
  { path: (i) => `/utbildningar/${i.trainingId}/anmal`, ok: ['parent'] },
  { path: () => '/mina-arenden', ok: SIGNED_IN, citizen: true },
  { path: (i) => `/mina-arenden/${i.submittedCase}`, ok: ['parent'], citizen: true },
  { path: (i) => `/mina-arenden/${i.submittedCase}/status`, ok: ['parent'], citizen: true },
  { path: (i) => `/mina-arenden/${i.submittedCase}/aterta`, ok: ['parent'], citizen: true },
  { path: (i) => `/mina-arenden/${i.admittedCase}`, ok: ['parent'], citizen: true },
  { path: (i) => `/mina-arenden/${i.admittedCase}/status`, ok: ['parent'], citizen: true },
  { path: (i) => `/mina-arenden/${i.enrolmentCase}`, ok: ['parent'], citizen: true },
  { path: () => '/kalender', ok: SIGNED_IN, citizen: true },
  { path: () => '/om/tillganglighet', ok: ANYONE, citizen: true },
  { path: () => '/om/personuppgifter', ok: ANYONE, citizen: true },
  { path: () => '/om/kakor', ok: ANYONE, citizen: true },
  { path: () => '/personal', ok: SIGNED_IN.filter((r) => r !== 'parent') },
  { path: () => '/personal/ansokningar', ok: ['leaderSodermalm', 'admin', 'guide'] },
  { path: (i) => `/personal/ansokningar/${i.submittedCase}`, ok: ['leaderSodermalm', 'admin'] },
  { path: (i) => `/personal/ansokningar/${i.admittedCase}`, ok: ['leaderSodermalm', 'admin'] },
  { path: (i) => `/personal/ansokningar/${i.admittedCase}/ta-bort`, ok: ['leaderSodermalm', 'admin'] },
  { path: () => '/personal/arenden', ok: ['central'] },
  { path: () => '/personal/arenden?status=queued&waitingDays=7', ok: ['central'] },
  // Without a pass these show the reason form: a case opens only once the reason is stated.
  { path: (i) => `/personal/arenden/${i.submittedCase}`, ok: ['central'] },
  { path: (i) => `/personal/arenden/${i.enrolmentCase}`, ok: ['central'] },
  { path: (i) => `/personal/arenden/${i.admittedCase}/till-ko`, ok: ['central'] },
  { path: (i) => `/personal/arenden/${i.admittedCase}/skicka-igen`, ok: ['central'] },
  { path: (i) => `/personal/arenden/${i.admittedCase}/avsluta`, ok: ['central'] },
  { path: () => '/personal/statistik', ok: ['central'] },
  { path: () => '/personal/granskning', ok: ['central'] },
  { path: () => '/personal/diarium', ok: ['central', 'admin'] },
  { path: () => '/personal/diarium?page=2', ok: ['central', 'admin'] },
  { path: (i) => `/personal/diarium/${i.submittedCase}`, ok: ['central', 'admin'] },
  { path: () => '/chatt', ok: ANYONE },
  { path: () => '/radgivare', ok: ['counsellor'] },
  { path: () => '/personal/admin/chatt', ok: ['admin'] },
  { path: () => '/personal/installningar', ok: ['admin'] },
  { path: () => '/personal/admin', ok: ['admin'] },
  { path: () => '/personal/admin/behorigheter', ok: ['admin'] },
  { path: () => '/personal/admin/meddelanden', ok: ['admin'] },
  ...TEMPLATE_KEYS.flatMap((key) => TEMPLATE_LANGS.map((lang): Page => ({ path: () => `/personal/admin/meddelanden/${key}/${lang}`, ok: ['admin'] }))),
  { path: () => '/personal/admin/lokaler', ok: ['admin'] },
  { path: () => '/personal/admin/lokaler/kalender', ok: ['admin'] },
  { path: (i) => `/personal/admin/lokaler/${i.roomId}`, ok: ['admin'] },
  { path: () => '/personal/admin/enkater', ok: ['admin'] },
  ...SURVEY_KINDS.map((kind): Page => ({ path: () => `/personal/admin/enkater/${kind}`, ok: ['admin'] })),
  { path: () => '/personal/avgifter', ok: ['admin'] },
  { path: (i) => `/personal/avgifter/${i.trainingId}`, ok: ['admin'] },
  { path: () => '/personal/intyg', ok: ['admin'] },
  { path: (i) => `/personal/intyg/${i.trainingId}`, ok: ['admin'] },
  { path: () => '/guide', ok: ['guide'] },
  { path: () => '/instruktor', ok: ['instructor', 'admin'] },
  { path: (i) => `/instruktor/utbildningar/${i.trainingId}`, ok: ['instructor', 'admin'] },
  { path: (i) => `/instruktor/utbildningar/${i.trainingId}/ansokningar/${i.enrolmentCase}`, ok: ['instructor', 'admin'] },
  { path: (i) => `/instruktor/utbildningar/${i.trainingId}/traffar/${i.trainingSessionId}/narvaro`, ok: ['instructor', 'admin'] },
  { path: (i) => `/personal/kurser/${i.courseId}/material`, ok: ['leaderSodermalm', 'admin'] },
  { path: (i) => `/personal/kurser/${i.courseId}/utvardering`, ok: ['leaderSodermalm', 'admin'] },
  { path: (i) => `/personal/kurser/${i.courseId}/traffar`, ok: ['leaderSodermalm', 'admin'] },
  { path: (i) => `/personal/kurser/${i.courseId}/traffar/${i.courseSessionId}`, ok: ['leaderSodermalm', 'admin'] },
  { path: () => '/finns-inte', ok: [], citizen: true },
];

// ---- untranslated keys ----------------------------------------------------------------------

const SECTIONS = new Set(Object.keys(dictionaries.sv));
/** Dotted words that are not keys: domains and file names. */
const NOT_A_KEY_END = /^(se|nu|org|com|net|eu|example|local|localhost|pdf|ics|csv|css|js|json|png|jpe?g|svg|txt|docx?|xlsx?|html?|eta|ts)$/;
// A dotted lowerCamel path, not part of a URL, an e-mail address, a file path or a longer word.
const DOTTED = /(?<![\w.@/:#%&=?-])[a-z][a-zA-Z0-9]*(?:\.[a-zA-Z][a-zA-Z0-9]*)+(?![\w@/(-]|\.[a-zA-Z0-9])/g;
/** Attributes that hold addresses, names or classes rather than text a person reads. */
const MACHINE_ATTRS = /^(href|src|action|class|id|for|name|style|type|rel|method|autocomplete|pattern|accept|enctype|lang|dir|role|hx-.*|data-.*|aria-controls|aria-describedby|aria-labelledby|http-equiv|content|charset|integrity|nonce|target|form)$/i;

function decode(text: string): string {
  return text
    .replace(/&quot;/g, '"')
    .replace(/&#39;|&#x27;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

function looksLikeKey(token: string): boolean {
  const parts = token.split('.');
  if (SECTIONS.has(parts[0])) return true;
  if (NOT_A_KEY_END.test(parts[parts.length - 1])) return false;
  // Abbreviations such as "t.ex", "bl.a", "e.g" have a short first word; keys start with a section name.
  return parts[0].length >= 3 && parts.every((p) => p.length >= 2);
}

/** Text nodes and human-readable attribute values of a page that look like i18n keys. */
export function untranslatedKeys(html: string): string[] {
  const page = html.replace(/<script\b[\s\S]*?<\/script>/gi, '').replace(/<style\b[\s\S]*?<\/style>/gi, '').replace(/<!--[\s\S]*?-->/g, '');
  const texts: string[] = [];
  for (const tag of page.matchAll(/<[a-zA-Z][^>]*>/g)) {
    for (const [, attr, value] of tag[0].matchAll(/\s([\w:-]+)\s*=\s*"([^"]*)"/g)) if (!MACHINE_ATTRS.test(attr)) texts.push(value);
  }
  texts.push(...page.replace(/<[^>]*>/g, '\n').split('\n'));
  const found = new Set<string>();
  for (const text of texts) for (const [token] of decode(text).matchAll(DOTTED)) if (looksLikeKey(token)) found.add(token);
  return [...found];
}

describe('the key detector', () => {
  it('finds keys in text and attributes but not URLs, e-mail, files or abbreviations', () => {
    const html = `<h1>trainings.form.title</h1><button aria-label="status.awaitingConsent">x</button>
      <a href="/kurser/a.b">Se t.ex. sidan, bl.a. www.stockholm.se eller mejla admin@komet.example</a>
      <p>Ladda ner KOM-2025-000001.pdf, kalender.ics eller app.css. Slut.</p><p class="badge.x" title="Version 1.2">ok</p>`;
    expect(untranslatedKeys(html).sort()).toEqual(['status.awaitingConsent', 'trainings.form.title']);
  });
});

// ---- lang, dir and Swedish leaking into another language --------------------------------------

/** The <html lang> and dir a page must have: the chosen language's, or Swedish on a page it does not cover. */
function expectedHtml(lang: Lang, citizen: boolean): { lang: string; dir: string } {
  const shown = citizen || LANGUAGES[lang].scope === 'all' ? lang : DEFAULT_LANG;
  return { lang: LANGUAGES[shown].tag, dir: LANGUAGES[shown].dir };
}

/**
 * Swedish interface texts that `lang` words otherwise or lacks: found on one of its pages, they show
 * a key that fell back to Swedish. Short texts (names, "Kurs") and texts with parameters are left out.
 */
function swedishOnlyTexts(lang: Lang): string[] {
  const sv = dictionaries[DEFAULT_LANG];
  // A text the language itself uses somewhere (easy-to-read Swedish keeps some) is not a leak.
  const own = new Set(keysOf(dictionaries[lang]).map((k) => lookup(dictionaries[lang], k)));
  return keysOf(sv)
    .filter((k) => !k.startsWith('language.'))
    .map((k) => ({ sv: lookup(sv, k)!, own: lookup(dictionaries[lang], k) }))
    .filter((x) => x.own !== x.sv && !own.has(x.sv) && x.sv.length >= 20 && !/[{}]/.test(x.sv))
    .map((x) => x.sv);
}
const SWEDISH_ONLY = new Map(LANGS.filter((l) => l !== DEFAULT_LANG).map((l) => [l, swedishOnlyTexts(l)]));

/** The text a person reads on a page (tags, scripts and hidden parts out, entities decoded). */
function visibleText(html: string): string {
  const page = html.replace(/<script\b[\s\S]*?<\/script>/gi, '').replace(/<style\b[\s\S]*?<\/style>/gi, '').replace(/<[^>]*\bhidden\b[^>]*>[^<]*<\/[^>]+>/g, '');
  return decode(page.replace(/<[^>]*>/g, ' ')).replace(/\s+/g, ' ');
}

describe('the Swedish-leak detector', () => {
  it('finds a Swedish interface text on a page in another language, but not in hidden parts or scripts', () => {
    const lead = dictionaries.sv.home as Record<string, string>;
    expect(SWEDISH_ONLY.get('ar')).toContain(lead.lead);
    expect(visibleText(`<main><p class="lead">${lead.lead.replace(/&/g, '&amp;')}</p></main>`)).toContain(lead.lead);
    expect(visibleText(`<span hidden data-text="x">${lead.lead}</span><script>"${lead.lead}"</script>`)).not.toContain(lead.lead);
  });
});

// ---- the sweep ------------------------------------------------------------------------------

const ENROLMENT_FORM = VALID_ENROLMENT_FORM;

let stack: TestStack;
let ids: Ids;
const clients = new Map<string, WebClient>();
const clientOf = (role: Role, lang: Lang) => clients.get(`${role}:${lang}`)!;

async function applyAndWait(parent: WebClient, courseId: string): Promise<string> {
  const res = await parent.post(`/kurser/${courseId}/ansok`, { ...VALID_FORM, personnummer: nextPersonnummer(), submissionKey: randomUUID() });
  expect(res.status).toBe(303);
  const caseNumber = /KOM-\d{4}-\d{6}/.exec(res.headers.get('location') ?? '')![0];
  const handle = stack.deps.temporal.workflow.getHandle(parentApplicationWorkflowId(caseNumber));
  await eventually(async () => expect((await handle.query(statusQuery)).waitingFor).toBe('decision'));
  return caseNumber;
}

beforeAll(async () => {
  stack = await startStack();
  const app = createApp(stack.deps);
  const db = stack.deps.db;
  const course = await db.course.findFirstOrThrow({ where: { district: { slug: 'sodermalm' }, language: 'sv', kind: 'groupCourse' }, include: { sessions: true } });
  const training = await db.course.findFirstOrThrow({ where: { title: TRAINING_TITLE, kind: 'training' }, include: { sessions: true } });
  const englishCourse = await db.course.findFirstOrThrow({ where: { district: { slug: 'sodermalm' }, language: 'en', kind: 'groupCourse' } });
  const webCourse = await db.course.findFirstOrThrow({ where: { title: WEB_COURSE_TITLE, kind: 'webCourse' } });
  const room = await db.room.findFirstOrThrow();
  const parentEmail = `svep-${randomUUID().slice(0, 8)}@example.org`;
  for (const lang of LANGS) {
    for (const role of ROLES) {
      const client = new WebClient(app);
      await client.get(`/?lang=${lang}`);
      if (role === 'parent') await client.login(db, parentEmail);
      else if (role !== 'anonymous') await client.login(db, DEMO_STAFF[role]);
      clients.set(`${role}:${lang}`, client);
    }
  }
  const parent = clientOf('parent', 'sv');
  const submittedCase = await applyAndWait(parent, course.id);
  const admittedCase = await applyAndWait(parent, englishCourse.id);
  const leaderId = (await db.person.findUniqueOrThrow({ where: { email: DEMO_STAFF.leaderSodermalm } })).id;
  const handle = stack.deps.temporal.workflow.getHandle(parentApplicationWorkflowId(admittedCase));
  await handle.executeUpdate(decideUpdate, { args: [{ decision: 'admit', actorId: leaderId }] });
  await eventually(async () => expect((await db.application.findUniqueOrThrow({ where: { caseNumber: admittedCase } })).status).toBe('admitted'));
  const checked = await parent.post(`/kurser/${webCourse.id}/ansok`, { ...VALID_FORM, step: 'check', personnummer: nextPersonnummer(), submissionKey: randomUUID() });
  expect(checked.status).toBe(303);
  const enrolled = await parent.post(`/utbildningar/${training.id}/anmal`, { ...ENROLMENT_FORM, submissionKey: randomUUID() });
  expect(enrolled.status).toBe(303);
  const enrolmentCase = /KOM-\d{4}-\d{6}/.exec(enrolled.headers.get('location') ?? '')![0];
  // Central's running list reads Temporal visibility, which lags a little behind.
  await eventually(async () => expect(await (await clientOf('central', 'sv').get('/personal/arenden')).text()).toContain(enrolmentCase));
  ids = {
    courseId: course.id,
    webCourseId: webCourse.id,
    trainingId: training.id,
    courseSessionId: course.sessions[0].id,
    trainingSessionId: training.sessions[0].id,
    roomId: room.id,
    submittedCase,
    admittedCase,
    enrolmentCase,
  };
});
afterAll(async () => stack?.stop());

describe.each(LANGS)('every page in %s', (lang) => {
  it.each(ROLES)('as %s: no 500, 200 where allowed, no untranslated key', async (role) => {
    const problems: string[] = [];
    for (const page of PAGES) {
      const path = page.path(ids);
      const res = await clientOf(role, lang).get(path);
      const body = await res.text();
      if (res.status >= 500) problems.push(`${path}: ${res.status}`);
      else if (page.ok.includes(role) && res.status !== 200) problems.push(`${path}: ${res.status}, expected 200 (${/<h1[^>]*>([\s\S]*?)<\/h1>/.exec(body)?.[1]?.trim() ?? body.slice(0, 80)})`);
      if ((res.headers.get('content-type') ?? '').includes('text/html')) {
        for (const key of untranslatedKeys(body)) problems.push(`${path}: untranslated ${key}`);
        const tag = /<html lang="([^"]*)" dir="([^"]*)">/.exec(body);
        if (tag) {
          // An error page (403, 404) speaks the chosen language on any path.
          const want = expectedHtml(lang, !!page.citizen || res.status >= 400);
          if (tag[1] !== want.lang || tag[2] !== want.dir) problems.push(`${path}: <html lang="${tag[1]}" dir="${tag[2]}">, expected lang="${want.lang}" dir="${want.dir}"`);
          if ((page.citizen || res.status >= 400) && lang !== DEFAULT_LANG) {
            const text = visibleText(body);
            for (const swedish of SWEDISH_ONLY.get(lang)!) if (text.includes(swedish)) problems.push(`${path}: Swedish text in ${lang}: "${swedish}"`);
          }
        } else if (/^<!doctype html>/i.test(body)) {
          problems.push(`${path}: no <html lang dir>`);
        }
      }
    }
    expect(problems).toEqual([]);
  });
});
