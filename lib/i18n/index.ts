// Every text of every page lives in the translation files (R1.3): Swedish first, English complete.
// A further language (also right-to-left, or a variant such as easy-to-read Swedish) is one more
// JSON file here: its "language" section names it and says how it is shown (R1.3, R1.5).
//  - language.name: the language's own name, shown in the language choice;
//  - language.tag: the BCP 47 tag of <html lang> and of speech (easy-to-read Swedish is "sv");
//  - language.locale: the Intl locale of dates and numbers (defaults to the tag);
//  - language.scope: "all" (every page) or "citizen" (the public pages, the application and
//    "Mina ärenden"; staff pages are then shown whole in Swedish, see web/layout/language.ts).
import { readdirSync, readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { fromRoot } from '../projectRoot';

type Dictionary = Record<string, unknown>;

export const DEFAULT_LANG = 'sv';
/** Primary language subtags written right to left. */
export const RTL_LANGS: readonly string[] = ['ar', 'fa', 'he', 'ur', 'ps', 'ckb'];

// From the project root, so the compiled bundles in dist/ find the same files.
const DIR = pathToFileURL(fromRoot('lib', 'i18n') + '/');
const codes = readdirSync(DIR)
  .filter((f) => /^[a-z][a-z-]*\.json$/.test(f))
  .map((f) => f.slice(0, -'.json'.length));

export const dictionaries: Record<string, Dictionary> = Object.fromEntries(
  codes.map((code) => [code, JSON.parse(readFileSync(new URL(`./${code}.json`, DIR), 'utf8')) as Dictionary]),
);

export type Lang = string;
export type LanguageScope = 'all' | 'citizen';

export interface LanguageInfo {
  code: Lang;
  /** Its own name ("Svenska", "العربية"). */
  name: string;
  /** <html lang> and the speech language. */
  tag: string;
  dir: 'ltr' | 'rtl';
  /** Intl locale for dates and numbers. */
  locale: string;
  scope: LanguageScope;
}

function infoOf(code: string): LanguageInfo {
  const meta = (dictionaries[code].language ?? {}) as Record<string, unknown>;
  const tag = typeof meta.tag === 'string' ? meta.tag : code;
  return {
    code,
    name: typeof meta.name === 'string' ? meta.name : code,
    tag,
    dir: RTL_LANGS.includes(tag.split('-')[0]) ? 'rtl' : 'ltr',
    locale: typeof meta.locale === 'string' ? meta.locale : tag,
    scope: meta.scope === 'citizen' ? 'citizen' : 'all',
  };
}

export const LANGUAGES: Record<Lang, LanguageInfo> = Object.fromEntries(codes.map((code) => [code, infoOf(code)]));

/** Swedish first, then its variants (easy-to-read), then the others by code: the order of the choice. */
export const LANGS: readonly Lang[] = [...codes].sort((a, b) => {
  const rank = (c: string) => (c === DEFAULT_LANG ? 0 : LANGUAGES[c].tag === LANGUAGES[DEFAULT_LANG].tag ? 1 : 2);
  return rank(a) - rank(b) || a.localeCompare(b);
});

export type Params = Record<string, string | number>;

/**
 * A language's texts: `t(key, params)`, and `t.plural(key, count, params)` for a text that names a
 * count. A plural key is an object of Intl.PluralRules categories ("one", "other"; Arabic may add
 * "zero", "two", "few", "many"); a category the language lacks falls back to "other". The count is
 * passed as {count} unless params name it otherwise ({n}, {total}).
 */
export interface Translate {
  (key: string, params?: Params): string;
  plural(key: string, count: number, params?: Params): string;
}

export function lookup(dict: Dictionary, key: string): string | undefined {
  let node: unknown = dict;
  for (const part of key.split('.')) {
    if (typeof node !== 'object' || node === null) return undefined;
    node = (node as Record<string, unknown>)[part];
  }
  return typeof node === 'string' ? node : undefined;
}

/** One translator per language, made once: every request takes one (Intl.PluralRules is not cheap). */
const translators = new Map<string, Translate>();

/** Texts of `lang`; a key it lacks comes from Swedish, a key nobody has shows as itself (the page sweep finds those). */
export function translator(lang: Lang): Translate {
  let t = translators.get(lang);
  if (!t) translators.set(lang, (t = makeTranslator(lang)));
  return t;
}

function makeTranslator(lang: Lang): Translate {
  const dict = dictionaries[lang] ?? dictionaries[DEFAULT_LANG];
  // A page asks for some forty texts: each found one is kept by its key. Only found ones, so the
  // memo is never larger than the dictionary, whatever key a caller makes up.
  const found = new Map<string, string>();
  const textOf = (key: string) => {
    let value = found.get(key);
    if (value === undefined) {
      value = lookup(dict, key) ?? lookup(dictionaries[DEFAULT_LANG], key);
      if (value === undefined) return key;
      found.set(key, value);
    }
    return value;
  };
  const t = ((key: string, params?: Params) => {
    const text = textOf(key);
    return params ? text.replace(/\{(\w+)\}/g, (m, name) => (name in params ? String(params[name]) : m)) : text;
  }) as Translate;
  const rules = new Intl.PluralRules(intlLocale(isLang(lang) ? lang : DEFAULT_LANG));
  t.plural = (key, count, params) => {
    const category = rules.select(count);
    const own = lookup(dict, `${key}.${category}`) !== undefined ? `${key}.${category}` : `${key}.other`;
    return t(own, { count, ...params });
  };
  return t;
}

export function isLang(value: string | null | undefined): value is Lang {
  return !!value && Object.hasOwn(LANGUAGES, value);
}

/** The language a person chose (Person.language), for their pages and their notices; Swedish if none. */
export function languageOf(person: { language: string | null } | null | undefined): Lang {
  return isLang(person?.language) ? person.language : DEFAULT_LANG;
}

/** The Intl locale for dates and numbers in `lang` (Swedish for an unknown code). */
export function intlLocale(lang: Lang): string {
  return (LANGUAGES[lang] ?? LANGUAGES[DEFAULT_LANG]).locale;
}

/** Flattened keys, for the test that keeps every language complete. */
export function keysOf(dict: Dictionary, prefix = ''): string[] {
  return Object.entries(dict).flatMap(([k, v]) =>
    typeof v === 'object' && v !== null ? keysOf(v as Dictionary, `${prefix}${k}.`) : [`${prefix}${k}`],
  );
}
