// A sweep over the whole UI (R1.3, R1.5): every important page, for every demo role and a parent
// with a case, in every language (Swedish, easy-to-read Swedish, Arabic, English), never answers 500,
// answers 200 to the roles that may see it, shows no untranslated key (a missing key renders as the
// key itself, see lib/i18n/index.ts), and has the right <html lang dir>: the chosen language's on
// the citizen's pages (easy-to-read Swedish is lang="sv"; Arabic is dir="rtl"), where no Swedish
// text leaks in; Swedish on staff pages in a citizen-only language.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../web/app';
import { DEFAULT_LANG, dictionaries, keysOf, LANGS, LANGUAGES, lookup, type Lang } from '../../lib/i18n';
import { startStack, type TestStack } from '../support/stack';
import { createSweepCases, loginAs, PAGES, ROLES, type Ids, type Role } from '../support/sweepPages';
import { WebClient } from '../support/webClient';

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

let stack: TestStack;
let ids: Ids;
const clients = new Map<string, WebClient>();
const clientOf = (role: Role, lang: Lang) => clients.get(`${role}:${lang}`)!;

beforeAll(async () => {
  stack = await startStack();
  const app = createApp(stack.deps);
  const parentEmail = `svep-${randomUUID().slice(0, 8)}@example.org`;
  for (const lang of LANGS) {
    for (const role of ROLES) {
      const client = new WebClient(app);
      await client.get(`/?lang=${lang}`);
      await loginAs(stack, client, role, parentEmail);
      clients.set(`${role}:${lang}`, client);
    }
  }
  ids = await createSweepCases(stack, clientOf('parent', 'sv'), clientOf('central', 'sv'));
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
