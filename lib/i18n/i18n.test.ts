// Every page's text lives in the translation files (R1.3): English is complete, every key a view
// asks for exists in Swedish, and the languages that cover only the citizen's pages (easy-to-read
// Swedish, Arabic: language.scope "citizen", R1.5) have every text those pages show. Staff pages
// are shown whole in Swedish in those languages (web/layout/language.ts), so they need nothing there.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_LANG, dictionaries, keysOf, LANGS, LANGUAGES, languageOf, lookup, translator } from './index';

function files(dir: string, ext: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path, ext) : path.endsWith(ext) ? [path] : [];
  });
}

const sv = dictionaries[DEFAULT_LANG];
const SV_KEYS = keysOf(sv);

/**
 * What the citizen's pages show: whole namespaces (layout, public pages, application, "Mina
 * ärenden", login, errors, the service's own pages) …
 */
export const CITIZEN_NAMESPACES = [
  'language', 'common', 'roles', 'nav', 'footer', 'readAloud', 'about', 'httpErrors', 'errors', 'fields', 'auth',
  'home', 'courses', 'kinds', 'caseKinds', 'languages', 'apply', 'confirmation', 'myCases', 'status', 'statusText',
  'events', 'waitingFor', 'caseActions', 'caseMessages', 'webCourse', 'receipt',
];
/**
 * … and every key the views and routes of those pages ask for, also from other features' partials
 * included on the case page. A view included from one of these must be one of these (tested below).
 */
export const CITIZEN_SOURCES = [
  'web/layout/', 'web/public/', 'web/apply/', 'web/auth/', 'web/about/', 'web/my-cases/', 'web/case-actions/',
  'web/web-course/', 'web/messages/', 'web/calendar/',
  'web/materials/views/forCase.eta', 'web/fees/views/caseDocuments.eta', 'web/surveys/views/caseSurveys.eta',
];

const isCitizenSource = (file: string) => CITIZEN_SOURCES.some((s) => (s.endsWith('/') ? file.startsWith(s) : file === s));
const SOURCES = [...files('web', '.eta'), ...files('web', '.ts').filter((f) => !f.endsWith('.test.ts'))];

const SV_KEY_SET = new Set(SV_KEYS);

/**
 * Keys a source asks for: every quoted string that is a key (in a t() call, a ternary, a zod error
 * of the route), and prefixes of computed ones (`it.t('status.' + s)`).
 */
function keysAskedFor(source: string): { literal: string[]; prefixes: string[] } {
  const text = readFileSync(source, 'utf8');
  const literal = [...text.matchAll(/['"]([a-zA-Z][\w-]*(?:\.[\w-]+)+)['"]/g)].map((m) => m[1]).filter((k) => SV_KEY_SET.has(k));
  const prefixes = [
    ...[...text.matchAll(/\bt\(\s*'([a-zA-Z][\w.-]*\.)'\s*\+/g)].map((m) => m[1]),
    ...[...text.matchAll(/\bt\(\s*`([a-zA-Z][\w.-]*\.)\$\{/g)].map((m) => m[1]),
    // A prefix held in a variable: const a = 'about.accessibility.'; it.t(a + 'title')
    ...[...text.matchAll(/=\s*'([a-zA-Z][\w-]*(?:\.[\w-]+)*\.)';/g)].map((m) => m[1]),
  ];
  return { literal, prefixes };
}

/** Every key a citizen page can show. */
export function citizenKeys(): Set<string> {
  const keys = new Set(SV_KEYS.filter((k) => CITIZEN_NAMESPACES.includes(k.split('.')[0])));
  for (const source of SOURCES.filter(isCitizenSource)) {
    const { literal, prefixes } = keysAskedFor(source);
    for (const k of literal) keys.add(k);
    for (const p of prefixes) for (const k of SV_KEYS) if (k.startsWith(p)) keys.add(k);
  }
  return keys;
}

const params = (text: string | undefined) => [...(text ?? '').matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
const CITIZEN_LANGS = LANGS.filter((l) => LANGUAGES[l].scope === 'citizen');
const COMPLETE_LANGS = LANGS.filter((l) => LANGUAGES[l].scope === 'all');
/** Codes, not text. */
const META = new Set(['language.tag', 'language.locale', 'language.scope']);

describe('translations', () => {
  it('has Swedish, easy-to-read Swedish, English and Arabic, each named in its own language', () => {
    expect(LANGS).toEqual(['sv', 'lattlast', 'ar', 'en']);
    expect(LANGUAGES.sv).toMatchObject({ name: 'Svenska', tag: 'sv', dir: 'ltr', scope: 'all' });
    expect(LANGUAGES.en).toMatchObject({ name: 'English', tag: 'en', dir: 'ltr', scope: 'all' });
    // Easy-to-read Swedish is Swedish: lang="sv", and a screen reader or speech reads it as such.
    expect(LANGUAGES.lattlast).toMatchObject({ name: 'Lättläst svenska', tag: 'sv', dir: 'ltr', scope: 'citizen' });
    expect(LANGUAGES.ar).toMatchObject({ name: 'العربية', tag: 'ar', dir: 'rtl', scope: 'citizen' });
  });

  it.each(COMPLETE_LANGS)('%s has exactly the keys Swedish has', (lang) => {
    expect(keysOf(dictionaries[lang]).sort()).toEqual([...SV_KEYS].sort());
  });

  it.each(CITIZEN_LANGS)('%s has every text of the citizen pages, and no key Swedish lacks', (lang) => {
    const dict = dictionaries[lang];
    const missing = [...citizenKeys()].filter((k) => lookup(sv, k) !== undefined && lookup(dict, k) === undefined).sort();
    expect(missing).toEqual([]);
    expect(keysOf(dict).filter((k) => !SV_KEY_SET.has(k))).toEqual([]);
  });

  it.each(LANGS.filter((l) => l !== DEFAULT_LANG))('%s keeps the {parameters} of every Swedish text', (lang) => {
    const wrong = keysOf(dictionaries[lang])
      .filter((k) => JSON.stringify(params(lookup(dictionaries[lang], k))) !== JSON.stringify(params(lookup(sv, k))))
      .map((k) => `${k}: ${params(lookup(dictionaries[lang], k)).join(',')} ≠ ${params(lookup(sv, k)).join(',')}`);
    expect(wrong).toEqual([]);
  });

  it('Arabic is written in Arabic: every text with words has Arabic letters', () => {
    const latinOnly = keysOf(dictionaries.ar)
      .filter((k) => !META.has(k) && k !== 'common.appName')
      .filter((k) => /\p{L}{2}/u.test(lookup(dictionaries.ar, k)!.replace(/\{\w+\}/g, '')) && !/\p{Script=Arabic}/u.test(lookup(dictionaries.ar, k)!));
    expect(latinOnly).toEqual([]);
  });

  it('easy-to-read Swedish has short sentences (Myndigheten för tillgängliga medier: one thing per sentence)', () => {
    const long = keysOf(dictionaries.lattlast)
      .filter((k) => !META.has(k))
      .flatMap((k) => lookup(dictionaries.lattlast, k)!.split(/(?<=[.!?:])\s+/).map((sentence) => ({ k, sentence })))
      .filter(({ sentence }) => sentence.split(/\s+/).filter((w) => /\p{L}/u.test(w)).length > 15)
      .map(({ k, sentence }) => `${k}: ${sentence}`);
    expect(long).toEqual([]);
  });

  it('easy-to-read Swedish is rewritten, not copied: most citizen texts differ from the Swedish', () => {
    const keys = [...citizenKeys()].filter((k) => !META.has(k) && lookup(dictionaries.lattlast, k) !== undefined);
    const rewritten = keys.filter((k) => lookup(dictionaries.lattlast, k) !== lookup(sv, k));
    expect(rewritten.length / keys.length).toBeGreaterThan(0.6);
  });

  it('every view included from a citizen page is itself a citizen source', () => {
    const outside: string[] = [];
    for (const file of files('web', '.eta').filter(isCitizenSource)) {
      for (const m of readFileSync(file, 'utf8').matchAll(/include\('\/([\w/-]+)'/g)) {
        const included = `web/${m[1]}.eta`;
        if (!isCitizenSource(included)) outside.push(`${file} includes ${included}`);
      }
    }
    expect(outside).toEqual([]);
  });

  it('every literal key used in a view exists', () => {
    const keys = new Set(SV_KEYS);
    const missing: string[] = [];
    for (const file of files('web', '.eta')) {
      for (const m of readFileSync(file, 'utf8').matchAll(/it\.t\('([a-zA-Z.-]+)'\s*[,)]/g)) if (!keys.has(m[1])) missing.push(`${file}: ${m[1]}`);
    }
    expect(missing).toEqual([]);
  });

  it('fills in parameters and falls back to Swedish', () => {
    expect(translator('en')('myCases.queuePosition', { position: 3 })).toBe('Your place in the queue: 3');
    expect(translator('sv')('no.such.key')).toBe('no.such.key');
    expect(translator('ar')('staff.title')).toBe(lookup(sv, 'staff.title'));
  });

  it("gives a person's chosen language for their notices, and Swedish when none or an unknown one is stored", () => {
    expect(languageOf({ language: 'ar' })).toBe('ar');
    expect(languageOf({ language: 'lattlast' })).toBe('lattlast');
    expect(languageOf({ language: null })).toBe('sv');
    expect(languageOf({ language: 'xx' })).toBe('sv');
    expect(languageOf(null)).toBe('sv');
  });
});
