// The one typeface of Komet's documents: DejaVu Sans (regular and bold), embedded in every PDF.
// It covers Latin (Swedish, Somali, English…), Arabic and Persian, and Cyrillic and Greek besides.
// A character it lacks is drawn as U+FFFD, never as nothing: PDF/A forbids the .notdef glyph, and
// the line's real text stays in the file for readers and search (see document.ts).
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as fontkit from 'fontkit';
import { mirrorBrackets, visualRuns, type Direction } from './bidi';

export type FontStyle = 'regular' | 'bold';

const require = createRequire(import.meta.url);

export const FONT_FILES: Record<FontStyle, string> = {
  regular: require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans.ttf'),
  bold: require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans-Bold.ttf'),
};

const files = new Map<FontStyle, Buffer>();
const loaded = new Map<FontStyle, fontkit.Font>();

/** The font file (read once per process). */
export function fontBytes(style: FontStyle): Buffer {
  let bytes = files.get(style);
  if (!bytes) {
    bytes = readFileSync(FONT_FILES[style]);
    files.set(style, bytes);
  }
  return bytes;
}

/**
 * The font for measuring and checking coverage (parsed once per process). Not for drawing: fontkit
 * keeps, per glyph, the characters it was first laid out for, and pdfkit writes those into the
 * ToUnicode map, so a shared instance would make one document's text depend on the documents
 * made before it. Each document parses its own (document.ts).
 */
export function fontOf(style: FontStyle): fontkit.Font {
  let font = loaded.get(style);
  if (!font) {
    font = fontkit.create(fontBytes(style));
    loaded.set(style, font);
  }
  return font;
}

const REPLACEMENT = '\ufffd';

/**
 * The text as the font can draw it (NFC, line breaks and tabs as spaces, no control characters,
 * U+FFFD for what the font lacks), and the text as written, less control characters.
 */
export function drawable(text: string, style: FontStyle): { text: string; written: string; replaced: boolean } {
  const font = fontOf(style);
  let out = '';
  let written = '';
  let replaced = false;
  for (const ch of text.normalize('NFC')) {
    const cp = ch.codePointAt(0)!;
    if (/[\t\n\r\v\f]/.test(ch)) {
      out += ' ';
      written += ' ';
    } else if (/\p{Cc}/u.test(ch) || (/\p{Cf}/u.test(ch) && !font.hasGlyphForCodePoint(cp))) {
      continue;
    } else if (font.hasGlyphForCodePoint(cp)) {
      out += ch;
      written += ch;
    } else {
      out += REPLACEMENT;
      written += ch;
      replaced = true;
    }
  }
  return { text: out, written, replaced };
}

export interface ShapedRun {
  /** What to hand the shaper: it reverses a run in a right-to-left script itself. */
  text: string;
  /** Advance width at 1 pt. */
  em: number;
  /** The glyphs come out in reverse reading order (a right-to-left run). */
  reversed: boolean;
  /** Position in reading order among the line's runs. */
  order: number;
}

export interface PreparedLine {
  /** Left to right. */
  runs: ShapedRun[];
  em: number;
  /** Set where characters the font lacks were replaced: the text as written, for ActualText. */
  actualText?: string;
}

const reversed = (s: string) => Array.from(s).reverse().join('');

/** One line, split into bidi runs in drawing order and measured. */
export function prepareLine(text: string, style: FontStyle, dir: Direction): PreparedLine {
  const font = fontOf(style);
  const { text: clean, written, replaced } = drawable(text, style);
  const bidi = visualRuns(clean, dir);
  const order = [...bidi].sort((a, b) => a.start - b.start);
  const runs = bidi.map((run): ShapedRun => {
    const rtl = run.level % 2 === 1;
    let s = rtl ? mirrorBrackets(run.text) : run.text;
    const layout = font.layout(s, []);
    // fontkit reverses any run in an Arabic or Hebrew script, digits included: hand it the run so
    // that its reversal gives the order the bidi algorithm asked for.
    if ((layout.direction === 'rtl') !== rtl) s = reversed(s);
    return { text: s, em: layout.advanceWidth / font.unitsPerEm, reversed: rtl, order: order.indexOf(run) };
  });
  return { runs, em: runs.reduce((sum, r) => sum + r.em, 0), ...(replaced ? { actualText: written } : {}) };
}

/** Width of one line in points. */
export function textWidth(text: string, size: number, style: FontStyle = 'regular', dir: Direction = 'ltr'): number {
  return prepareLine(text, style, dir).em * size;
}

/**
 * Breaks text into lines no wider than `width` points, at spaces and at the text's own line
 * breaks; a word longer than a line is cut. Words are measured one by one (a line's width is the
 * sum of its words and spaces), which is what shaping gives: Arabic letters do not join across
 * a space.
 */
export function wrapText(text: string, width: number, size: number, style: FontStyle = 'regular', dir: Direction = 'ltr'): string[] {
  const space = textWidth(' ', size, style, dir);
  const out: string[] = [];
  for (const paragraph of text.replace(/\r\n?/g, '\n').split('\n')) {
    let line = '';
    let lineWidth = 0;
    for (const word of paragraph.split(/\s+/).filter(Boolean)) {
      let w = word;
      let ww = textWidth(w, size, style, dir);
      while (ww > width) {
        // Cut where the characters, one by one, fill the line (at least one character a line).
        const chars = Array.from(w);
        let cut = 0;
        for (let filled = 0; cut < chars.length; cut++) {
          filled += textWidth(chars[cut], size, style, dir);
          if (filled > width) break;
        }
        cut = Math.max(cut, 1);
        if (line) out.push(line);
        out.push(chars.slice(0, cut).join(''));
        line = '';
        lineWidth = 0;
        w = chars.slice(cut).join('');
        ww = textWidth(w, size, style, dir);
      }
      if (!line || lineWidth + space + ww > width) {
        if (line) out.push(line);
        line = w;
        lineWidth = ww;
      } else {
        line += ` ${w}`;
        lineWidth += space + ww;
      }
    }
    out.push(line);
  }
  return out;
}
