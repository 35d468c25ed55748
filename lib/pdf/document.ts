// Komet's PDF writer, on pdfkit: pages of positioned text lines and QR codes, in DejaVu Sans
// (embedded), right-to-left scripts in the right order, every file PDF/A-2b (R9.3: the archive
// copy is kept for years; certificates and invoices are kept by the people who get them).
//
// PDF/A-2b as pdfkit makes it with `subset: 'PDF/A-2b'`: XMP metadata with pdfaid part 2 and
// conformance B, an sRGB OutputIntent (the ICC's sRGB2014 profile that ships with pdfkit, free
// to copy and embed), fonts embedded as CIDFontType2 with FontFile2, a trailer /ID, no
// encryption. What pdfkit leaves to us: never a standard (non-embedded) font, never the .notdef
// glyph (fonts.ts), no transparency, no annotations or JavaScript. lib/pdf/pdfaCheck.ts checks it.
//
// The output is a function of its input: the same pages, title and date give the same bytes
// (the archive package's checksum depends on it).
import PDFDocument from 'pdfkit';
import QRCode from 'qrcode';
import { directionOf, type Direction } from './bidi';
import { fontBytes, prepareLine, type FontStyle } from './fonts';

/** A4 in points. */
export const A4 = { width: 595.28, height: 841.89 } as const;

export interface PdfTextLine {
  text: string;
  /** From the start edge (left, or right in a right-to-left document), in points. */
  x: number;
  /** Baseline, from the TOP edge, in points. */
  y: number;
  size?: number;
  bold?: boolean;
  /** With align 'end': the line ends at x + width. */
  width?: number;
  align?: 'start' | 'end';
}

/** A QR code of `qr`, its top-left (top-right in right-to-left) corner at x, y; `size` square. */
export interface PdfQrCode {
  qr: string;
  x: number;
  y: number;
  size: number;
}

export type PdfItem = PdfTextLine | PdfQrCode;

export interface PdfInfo {
  title: string;
  /** BCP 47: the document's language, which also sets its direction. */
  lang?: string;
  /** The document's creation time (defaults to now); it is also part of the file ID. */
  createdAt?: Date;
}

const PRODUCER = 'Komet, Stockholms stad';

/** The whole file, one A4 page per list of items. */
export function renderPdf(pages: PdfItem[][], info: PdfInfo): Buffer {
  const dir = directionOf(info.lang);
  const doc = new PDFDocument({
    size: 'A4',
    margin: 0,
    autoFirstPage: false,
    pdfVersion: '1.7',
    subset: 'PDF/A-2b',
    // No default font: pdfkit would load Helvetica, which is not embedded.
    font: null as unknown as string,
    lang: info.lang ?? 'sv',
    displayTitle: true,
    info: {
      // pdfkit copies the title into the XMP packet unescaped: keep XML's own characters out.
      Title: info.title.replace(/[<>&]/g, ' '),
      Producer: PRODUCER,
      Creator: PRODUCER,
      CreationDate: info.createdAt ?? new Date(),
    },
  });
  // A font instance of this document's own (see fontOf), from the bytes read once.
  for (const style of ['regular', 'bold'] as const) doc.registerFont(style, fontBytes(style));
  for (const items of pages.length ? pages : [[]]) {
    doc.addPage({ size: 'A4', margin: 0 });
    for (const item of items) {
      if ('qr' in item) drawQr(doc, item, dir);
      else drawLine(doc, item, dir);
    }
  }
  doc.end();
  // pdfkit writes the whole file into its stream buffer within end(): read it back synchronously.
  const chunks: Buffer[] = [];
  for (let chunk = doc.read() as Buffer | null; chunk !== null; chunk = doc.read() as Buffer | null) chunks.push(chunk);
  return Buffer.concat(chunks);
}

/**
 * One line. The runs are placed left to right in visual order but written in reading order, each
 * right-to-left run marked ReversedChars (ISO 32000-1, 14.8.2.3.3), and a line of several runs is
 * one marked Span: so a reader that follows the content gets the text as written, and one that
 * sorts glyphs by position (poppler, pdf.js) sees the usual visual order. Where characters were
 * replaced, the Span carries the real text as ActualText.
 */
function drawLine(doc: PDFKit.PDFDocument, line: PdfTextLine, dir: Direction): void {
  const style: FontStyle = line.bold ? 'bold' : 'regular';
  const size = line.size ?? 11;
  const prepared = prepareLine(line.text, style, dir);
  if (!prepared.runs.length) return;
  const width = prepared.em * size;
  const start = line.align === 'end' ? line.x + (line.width ?? 0) - width : line.x;
  let x = dir === 'ltr' ? start : A4.width - start - width;
  const placed = prepared.runs.map((run) => {
    const at = x;
    x += run.em * size;
    return { run, at };
  });
  doc.font(style).fontSize(size);
  const span = prepared.runs.length > 1 || prepared.actualText !== undefined;
  if (span) doc.markContent('Span', prepared.actualText !== undefined ? { actual: prepared.actualText } : undefined);
  for (const { run, at } of placed.sort((a, b) => a.run.order - b.run.order)) {
    if (run.reversed) doc.markContent('ReversedChars');
    // features: [] makes pdfkit shape the run as one piece (by default it shapes word by word,
    // which would put right-to-left words in left-to-right order).
    doc.text(run.text, at, line.y, { lineBreak: false, baseline: 'alphabetic', features: [] });
    if (run.reversed) doc.endMarkedContent();
  }
  if (span) doc.endMarkedContent();
}

/** Vector squares (no image, so no transparency question): each row's dark modules as rectangles. */
function drawQr(doc: PDFKit.PDFDocument, code: PdfQrCode, dir: Direction): void {
  const { modules } = QRCode.create(code.qr, { errorCorrectionLevel: 'M' });
  const n = modules.size;
  const unit = code.size / n;
  const left = dir === 'ltr' ? code.x : A4.width - code.x - code.size;
  for (let row = 0; row < n; row++) {
    for (let col = 0; col < n; col++) {
      if (!modules.get(row, col)) continue;
      let end = col;
      while (end + 1 < n && modules.get(row, end + 1)) end++;
      doc.rect(left + col * unit, code.y + row * unit, (end - col + 1) * unit, unit);
      col = end;
    }
  }
  doc.fillColor('black').fill();
}
