// Every text of every page lives in the translation files (R1.3): Swedish first, English complete.
// A further language (also right-to-left, or easy-to-read Swedish) is one more JSON file here.
import { readFileSync } from 'node:fs';

const load = (lang: string) =>
  JSON.parse(readFileSync(new URL(`./${lang}.json`, import.meta.url), 'utf8')) as Record<string, unknown>;

export const LANGS = ['sv', 'en'] as const;
export type Lang = (typeof LANGS)[number];
export const DEFAULT_LANG: Lang = 'sv';
export const RTL_LANGS: readonly string[] = ['ar', 'fa', 'he', 'ur'];

export const dictionaries: Record<Lang, Record<string, unknown>> = { sv: load('sv'), en: load('en') };

export type Translate = (key: string, params?: Record<string, string | number>) => string;

function lookup(dict: Record<string, unknown>, key: string): string | undefined {
  let node: unknown = dict;
  for (const part of key.split('.')) {
    if (typeof node !== 'object' || node === null) return undefined;
    node = (node as Record<string, unknown>)[part];
  }
  return typeof node === 'string' ? node : undefined;
}

export function translator(lang: Lang): Translate {
  return (key, params) => {
    const text = lookup(dictionaries[lang], key) ?? lookup(dictionaries[DEFAULT_LANG], key) ?? key;
    return params ? text.replace(/\{(\w+)\}/g, (m, name) => (name in params ? String(params[name]) : m)) : text;
  };
}

export function isLang(value: string | undefined): value is Lang {
  return !!value && (LANGS as readonly string[]).includes(value);
}

/** Flattened keys, for the test that keeps every language complete. */
export function keysOf(dict: Record<string, unknown>, prefix = ''): string[] {
  return Object.entries(dict).flatMap(([k, v]) =>
    typeof v === 'object' && v !== null ? keysOf(v as Record<string, unknown>, `${prefix}${k}.`) : [`${prefix}${k}`],
  );
}
