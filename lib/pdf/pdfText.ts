// Reads back what a PDF says: per page, its lines of text, the glyph runs as drawn (font, glyph
// codes, position) and the filled rectangles (QR codes). Text goes through each font's ToUnicode
// map and follows the content order, as document.ts writes it: a line is one text object, or a
// marked Span of several (its ActualText, if it has one, stands for all of them); glyphs inside
// ReversedChars read in reverse. For tests and checks only.
import { mirrorBrackets } from './bidi';
import { contentOperations, nameOf, PdfDict, PdfFile, PdfRef, PdfString, type PdfValue } from './pdfParse';

export interface GlyphRun {
  /** Resource name of the font (F1…) and its object number. */
  font: string;
  fontObject: number;
  /** Glyph codes (CIDs, which are glyph ids of the embedded font for Identity-H). */
  codes: number[];
  /** The codes through ToUnicode. */
  text: string;
  x: number;
  y: number;
}

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface PageContent {
  lines: string[];
  glyphRuns: GlyphRun[];
  /** Rectangles of paths that were filled. */
  filledRects: Rect[];
}

interface FontDecoder {
  objectNum: number;
  bytesPerCode: 1 | 2;
  decode(code: number): string;
}

/** Characters WinAnsi places in 0x80–0x9F, for simple fonts without a ToUnicode map. */
const WIN_ANSI: Record<number, string> = { 0x80: '€', 0x85: '…', 0x91: '‘', 0x92: '’', 0x93: '“', 0x94: '”', 0x95: '•', 0x96: '–', 0x97: '—' };

function utf16be(bytes: Buffer): string {
  const swapped = Buffer.from(bytes);
  swapped.swap16();
  return swapped.toString('utf16le');
}

/** bfchar and bfrange entries of a ToUnicode CMap. */
function parseToUnicode(cmap: string): Map<number, string> {
  const map = new Map<number, string>();
  const hex = (h: string) => Buffer.from(h.replace(/\s/g, ''), 'hex');
  for (const block of cmap.matchAll(/beginbfchar([\s\S]*?)endbfchar/g)) {
    for (const m of block[1].matchAll(/<([0-9a-fA-F]+)>\s*<([0-9a-fA-F\s]*)>/g)) map.set(parseInt(m[1], 16), utf16be(hex(m[2])));
  }
  for (const block of cmap.matchAll(/beginbfrange([\s\S]*?)endbfrange/g)) {
    for (const m of block[1].matchAll(/<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>\s*(<[0-9a-fA-F\s]*>|\[[^\]]*\])/g)) {
      const lo = parseInt(m[1], 16);
      const hi = parseInt(m[2], 16);
      if (m[3].startsWith('[')) {
        const targets = [...m[3].matchAll(/<([0-9a-fA-F\s]*)>/g)].map((t) => utf16be(hex(t[1])));
        for (let c = lo; c <= hi; c++) map.set(c, targets[c - lo] ?? '');
      } else {
        const first = hex(m[3].slice(1, -1));
        for (let c = lo; c <= hi; c++) {
          const target = Buffer.from(first);
          target.writeUInt16BE(target.readUInt16BE(target.length - 2) + (c - lo), target.length - 2);
          map.set(c, utf16be(target));
        }
      }
    }
  }
  return map;
}

function fontDecoder(file: PdfFile, ref: PdfValue | undefined): FontDecoder {
  const font = file.dict(ref);
  const objectNum = ref instanceof PdfRef ? ref.num : -1;
  const toUnicodeRef = font?.get('ToUnicode');
  const map = toUnicodeRef ? parseToUnicode(file.streamOf(toUnicodeRef)!.toString('latin1')) : null;
  const composite = nameOf(font?.get('Subtype')) === 'Type0';
  return {
    objectNum,
    bytesPerCode: composite ? 2 : 1,
    decode: (code) => map?.get(code) ?? (composite ? '\ufffd' : (WIN_ANSI[code] ?? String.fromCharCode(code))),
  };
}

/** Everything the pages show, page by page. */
export function readPdfPages(pdf: Uint8Array): PageContent[] {
  const file = new PdfFile(Buffer.from(pdf));
  return file.pages().map((page) => {
    const resources = file.dict(page.get('Resources'));
    const fonts = file.dict(resources?.get('Font')) ?? new PdfDict();
    const decoders = new Map<string, FontDecoder>();
    const decoderFor = (name: string) => {
      if (!decoders.has(name)) decoders.set(name, fontDecoder(file, fonts.get(name)));
      return decoders.get(name)!;
    };
    return readContent(file.pageContent(page), decoderFor);
  });
}

interface Mark {
  tag: string;
  actual: string | null;
  /** Text objects of a Span that makes one line. */
  parts: string[] | null;
}

function readContent(content: Buffer, decoderFor: (name: string) => FontDecoder): PageContent {
  const result: PageContent = { lines: [], glyphRuns: [], filledRects: [] };
  let font = '';
  let pendingRects: Rect[] = [];
  let glyphs: string[] = [];
  let at = { x: 0, y: 0 };
  const marks: Mark[] = [];
  const line = () => marks.find((m) => m.parts);

  const show = (s: PdfValue) => {
    if (!(s instanceof PdfString)) return;
    const decoder = decoderFor(font);
    const codes: number[] = [];
    for (let i = 0; i + decoder.bytesPerCode <= s.bytes.length; i += decoder.bytesPerCode) {
      codes.push(decoder.bytesPerCode === 2 ? s.bytes.readUInt16BE(i) : s.bytes[i]);
    }
    const decoded = codes.map((c) => decoder.decode(c));
    result.glyphRuns.push({ font, fontObject: decoder.objectNum, codes, text: decoded.join(''), x: at.x, y: at.y });
    glyphs.push(...decoded);
  };

  const mark = (tag: string, actual: string | null) => {
    // A Span outside any line is a line of its own.
    const startsLine = tag === 'Span' && !line() && !marks.some((m) => m.actual !== null);
    marks.push({ tag, actual, parts: startsLine ? [] : null });
  };

  for (const { op, operands } of contentOperations(content)) {
    switch (op) {
      case 'BT':
        glyphs = [];
        break;
      case 'ET': {
        // Right-to-left glyphs: reading order is the reverse, and brackets were drawn mirrored (L4).
        const reversed = marks.some((m) => m.tag === 'ReversedChars');
        const text = reversed ? mirrorBrackets(glyphs.reverse().join('')) : glyphs.join('');
        glyphs = [];
        if (!text) break;
        const open = line();
        if (open) open.parts!.push(text);
        else if (!marks.some((m) => m.actual !== null)) result.lines.push(text);
        break;
      }
      case 'Tf':
        font = nameOf(operands[0]) ?? '';
        break;
      case 'Tm':
        at = { x: operands[4] as number, y: operands[5] as number };
        break;
      case 'Td':
      case 'TD':
        at = { x: at.x + (operands[0] as number), y: at.y + (operands[1] as number) };
        break;
      case 'Tj':
      case "'":
        show(operands[0]);
        break;
      case '"':
        show(operands[2]);
        break;
      case 'TJ':
        for (const part of (operands[0] as PdfValue[]) ?? []) show(part);
        break;
      case 'BMC':
        mark(nameOf(operands[0]) ?? '', null);
        break;
      case 'BDC': {
        const props = operands[1];
        const actual = props instanceof PdfDict ? props.get('ActualText') : undefined;
        mark(nameOf(operands[0]) ?? '', actual instanceof PdfString ? actual.text() : null);
        break;
      }
      case 'EMC': {
        const closed = marks.pop();
        if (!closed) break;
        const text = closed.actual ?? closed.parts?.join('') ?? null;
        if (text === null || (closed.parts === null && closed.actual === null)) break;
        const outer = line();
        if (outer) outer.parts!.push(text);
        else if (!marks.some((m) => m.actual !== null)) result.lines.push(text);
        break;
      }
      case 're': {
        const [x, y, width, height] = operands as number[];
        pendingRects.push({ x, y, width, height });
        break;
      }
      case 'f':
      case 'F':
      case 'f*':
        result.filledRects.push(...pendingRects);
        pendingRects = [];
        break;
      case 'n':
      case 'S':
      case 's':
        pendingRects = [];
        break;
    }
  }
  return result;
}

/** Every line of text of every page, in the order drawn. */
export function extractPdfText(pdf: Uint8Array): string[] {
  return readPdfPages(pdf).flatMap((page) => page.lines);
}
