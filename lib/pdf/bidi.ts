// The order in which a line's characters are drawn, left to right: the Unicode Bidirectional
// Algorithm (UAX #9) for one line of plain text, without explicit embeddings or isolates (our
// texts never carry them). A name like "أحمد Öberg" is two runs: the Arabic one, read right to
// left, and the Latin one. PDF has no notion of direction, so the writer draws runs in this order
// and lets the shaper reverse the glyphs of each right-to-left run.

import { RTL_LANGS } from '../i18n';

export type Direction = 'ltr' | 'rtl';

/** A run of characters on one embedding level, in logical order; odd levels read right to left. */
export interface BidiRun {
  text: string;
  level: number;
  /** Where the run starts in the line's logical order (code points). */
  start: number;
}

type BidiClass = 'L' | 'R' | 'AL' | 'EN' | 'AN' | 'ES' | 'CS' | 'ET' | 'NSM' | 'WS' | 'ON';

const EUROPEAN_TERMINATORS = new Set([...'#$%°¢£¤¥€‰‱′″']);
const COMMON_SEPARATORS = new Set([0x2c, 0x2e, 0x2f, 0x3a, 0xa0, 0x202f, 0x60c]);

/** The bidi class of a code point, for the scripts and marks we meet (UCD DerivedBidiClass, in short). */
function bidiClass(ch: string): BidiClass {
  const cp = ch.codePointAt(0)!;
  if ((cp >= 0x30 && cp <= 0x39) || (cp >= 0x6f0 && cp <= 0x6f9)) return 'EN';
  if ((cp >= 0x660 && cp <= 0x669) || cp === 0x66b || cp === 0x66c) return 'AN';
  if (cp === 0x2b || cp === 0x2d || cp === 0x2212) return 'ES';
  if (COMMON_SEPARATORS.has(cp)) return 'CS';
  if (EUROPEAN_TERMINATORS.has(ch) || cp === 0x66a) return 'ET';
  if (/\p{M}/u.test(ch)) return 'NSM';
  if ((cp >= 0x590 && cp <= 0x5ff) || (cp >= 0x7c0 && cp <= 0x85f) || (cp >= 0xfb1d && cp <= 0xfb4f) || (cp >= 0x10800 && cp <= 0x10fff) || cp === 0x200f) return 'R';
  if ((cp >= 0x600 && cp <= 0x7bf) || (cp >= 0x860 && cp <= 0x8ff) || (cp >= 0xfb50 && cp <= 0xfdff) || (cp >= 0xfe70 && cp <= 0xfefe)) return 'AL';
  if (/\s/u.test(ch)) return 'WS';
  if (/[\p{L}\p{N}]/u.test(ch) || cp === 0x200e) return 'L';
  return 'ON';
}

/** Whether the text holds any right-to-left character (Hebrew, Arabic and their kin). */
export function hasRtl(text: string): boolean {
  for (const ch of text) {
    const c = bidiClass(ch);
    if (c === 'R' || c === 'AL') return true;
  }
  return false;
}

/** The direction of a document in this language (the pages' own list of right-to-left languages). */
export function directionOf(lang: string | undefined): Direction {
  return lang && RTL_LANGS.includes(lang.split('-')[0]) ? 'rtl' : 'ltr';
}

/** Resolved embedding levels, one per code point (rules W1–W7, N1–N2, I1–I2, L1). */
export function bidiLevels(chars: string[], base: Direction): number[] {
  const baseLevel = base === 'rtl' ? 1 : 0;
  const e: 'L' | 'R' = base === 'rtl' ? 'R' : 'L';
  const original = chars.map(bidiClass);
  const t = [...original];
  const n = t.length;
  // W1: a mark takes the class of what it sits on.
  for (let i = 0; i < n; i++) if (t[i] === 'NSM') t[i] = i === 0 ? e : t[i - 1];
  // W2: digits after Arabic letters are Arabic numbers. W3: AL is R from here on.
  let strong: BidiClass = e;
  for (let i = 0; i < n; i++) {
    if (t[i] === 'L' || t[i] === 'R' || t[i] === 'AL') strong = t[i];
    else if (t[i] === 'EN' && strong === 'AL') t[i] = 'AN';
  }
  for (let i = 0; i < n; i++) if (t[i] === 'AL') t[i] = 'R';
  // W4: one separator between two numbers of a kind joins them ("1 250,50", "2026-01-10").
  for (let i = 1; i < n - 1; i++) {
    if (t[i] === 'ES' && t[i - 1] === 'EN' && t[i + 1] === 'EN') t[i] = 'EN';
    else if (t[i] === 'CS' && (t[i - 1] === 'EN' || t[i - 1] === 'AN') && t[i + 1] === t[i - 1]) t[i] = t[i - 1];
  }
  // W5: terminators next to a European number ("50 %", "€5") belong to it.
  for (let i = 0; i < n; i++) {
    if (t[i] !== 'ET') continue;
    let j = i;
    while (j < n && t[j] === 'ET') j++;
    if ((i > 0 && t[i - 1] === 'EN') || (j < n && t[j] === 'EN')) for (let k = i; k < j; k++) t[k] = 'EN';
    i = j - 1;
  }
  // W6: the remaining separators and terminators are neutral.
  for (let i = 0; i < n; i++) if (t[i] === 'ES' || t[i] === 'CS' || t[i] === 'ET') t[i] = 'ON';
  // W7: a European number in left-to-right context is left-to-right text.
  strong = e;
  for (let i = 0; i < n; i++) {
    if (t[i] === 'L' || t[i] === 'R') strong = t[i];
    else if (t[i] === 'EN' && strong === 'L') t[i] = 'L';
  }
  // N1, N2: neutrals between two of the same direction take it; others the paragraph's.
  const side = (c: BidiClass): 'L' | 'R' => (c === 'L' ? 'L' : 'R');
  for (let i = 0; i < n; i++) {
    if (t[i] !== 'WS' && t[i] !== 'ON') continue;
    let j = i;
    while (j < n && (t[j] === 'WS' || t[j] === 'ON')) j++;
    const before = i === 0 ? e : side(t[i - 1]);
    const after = j === n ? e : side(t[j]);
    const resolved = before === after ? before : e;
    for (let k = i; k < j; k++) t[k] = resolved;
    i = j - 1;
  }
  // I1, I2.
  const levels = t.map((c) => {
    if (baseLevel === 0) return c === 'R' ? 1 : c === 'EN' || c === 'AN' ? 2 : 0;
    return c === 'R' ? 1 : 2;
  });
  // L1: trailing white space goes back to the paragraph level.
  for (let i = n - 1; i >= 0 && original[i] === 'WS'; i--) levels[i] = baseLevel;
  return levels;
}

/** The line's runs in drawing order, left to right (rule L2); each run's text stays in logical order. */
export function visualRuns(text: string, base: Direction): BidiRun[] {
  const chars = Array.from(text);
  if (!chars.length) return [];
  const levels = bidiLevels(chars, base);
  const runs: BidiRun[] = [];
  chars.forEach((ch, i) => {
    const last = runs[runs.length - 1];
    if (last && last.level === levels[i]) last.text += ch;
    else runs.push({ text: ch, level: levels[i], start: i });
  });
  const highest = Math.max(...levels);
  const lowestOdd = Math.min(...levels.map((l) => (l % 2 ? l : l + 1)));
  for (let level = highest; level >= lowestOdd; level--) {
    for (let i = 0; i < runs.length; i++) {
      if (runs[i].level < level) continue;
      let j = i;
      while (j < runs.length && runs[j].level >= level) j++;
      runs.splice(i, j - i, ...runs.slice(i, j).reverse());
      i = j;
    }
  }
  return runs;
}

const MIRRORED: Record<string, string> = { '(': ')', ')': '(', '[': ']', ']': '[', '{': '}', '}': '{', '<': '>', '>': '<', '«': '»', '»': '«', '‹': '›', '›': '‹' };

/** Rule L4: brackets in right-to-left text are drawn mirrored, so "(…)" still opens towards the text. */
export function mirrorBrackets(text: string): string {
  return text.replace(/[()[\]{}<>«»‹›]/g, (ch) => MIRRORED[ch]);
}
