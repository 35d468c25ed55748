// Komet's documents in any script (issue 16 item 8), read back by our own reader: the bidi order
// of mixed lines, Arabic shaped (checked against the font's own presentation-form glyphs), text
// extractable in reading order, characters the font lacks never lost, the same bytes for the same
// input, and every file passing the PDF/A-2b structural check, which itself is shown to bite.
import * as fontkit from 'fontkit';
import { describe, expect, it } from 'vitest';
import { translator } from '../i18n';
import { visualRuns } from './bidi';
import { renderPdf, type PdfItem } from './document';
import { documentPdf } from './documentPage';
import { fontOf, textWidth, wrapText } from './fonts';
import { pdfaProblems } from './pdfaCheck';
import { PdfFile, PdfRef } from './pdfParse';
import { extractPdfText, readPdfPages, type GlyphRun } from './pdfText';

const t = translator('sv');
const NAME = 'أحمد Öberg';

const runs = (text: string, dir: 'ltr' | 'rtl') => visualRuns(text, dir).map((r) => [r.text, r.level]);

describe('the bidi order of a line', () => {
  it('puts an Arabic name first, read right to left, and the Latin one after it, in a left-to-right document', () => {
    expect(runs(NAME, 'ltr')).toEqual([['أحمد', 1], [' Öberg', 0]]);
  });

  it('puts the Latin part at the left end in a right-to-left document', () => {
    expect(runs(NAME, 'rtl')).toEqual([['Öberg', 2], ['أحمد ', 1]]);
  });

  it('keeps numbers left to right inside Arabic text, and Swedish amounts in one run', () => {
    expect(runs('شارع 12', 'ltr')).toEqual([['12', 2], ['شارع ', 1]]);
    expect(runs('محمد أحمد ١٢٣', 'rtl')).toEqual([['١٢٣', 2], ['محمد أحمد ', 1]]);
    expect(runs('Att betala 4\u00a0500,50\u00a0kr', 'ltr')).toEqual([['Att betala 4\u00a0500,50\u00a0kr', 0]]);
    expect(runs('', 'ltr')).toEqual([]);
  });
});

describe('measuring and wrapping', () => {
  it('measures with the real font: wide letters are wider, bold is wider', () => {
    expect(textWidth('WWWW', 10)).toBeGreaterThan(textWidth('iiii', 10));
    expect(textWidth('Komet', 10, 'bold')).toBeGreaterThan(textWidth('Komet', 10));
    expect(textWidth('Komet', 20)).toBeCloseTo(2 * textWidth('Komet', 10), 5);
  });

  it('wraps within the width and keeps every word, cutting a word longer than a line', () => {
    const long = 'Ett långt meddelande på svenska och عربي '.repeat(30).trim();
    const lines = wrapText(long, 300, 10);
    expect(lines.length).toBeGreaterThan(5);
    expect(lines.join(' ')).toBe(long);
    for (const line of lines) expect(textWidth(line, 10)).toBeLessThanOrEqual(300);
    const cut = wrapText('x'.repeat(400), 300, 10);
    expect(cut.join('')).toBe('x'.repeat(400));
    for (const line of cut) expect(textWidth(line, 10)).toBeLessThanOrEqual(300);
  });
});

/** The glyph outlines a run draws, from the font embedded in the file. */
function outlines(pdf: Buffer, run: GlyphRun): string[] {
  const file = new PdfFile(pdf);
  const type0 = file.dict(new PdfRef(run.fontObject, 0))!;
  const cidFont = file.dict((file.resolve(type0.get('DescendantFonts')) as PdfRef[])[0])!;
  const descriptor = file.dict(cidFont.get('FontDescriptor'))!;
  const embedded = fontkit.create(file.streamOf(descriptor.get('FontFile2'))!);
  return run.codes.map((gid) => embedded.getGlyph(gid).path.toSVG());
}

/** The outlines DejaVu Sans has for these code points (presentation forms name the shaped glyphs). */
const dejavu = (...codePoints: number[]) => codePoints.map((cp) => fontOf('regular').glyphForCodePoint(cp).path.toSVG());

describe('a document with an Arabic and Latin name', () => {
  const line: PdfItem[] = [{ text: NAME, x: 56, y: 100, size: 12 }];
  const pdf = renderPdf([line], { title: 'Namn', lang: 'sv', createdAt: new Date('2026-05-01T10:00:00Z') });
  const [page] = readPdfPages(pdf);

  it('reads back as the name, in reading order', () => {
    expect(page.lines).toEqual([NAME]);
  });

  it('draws the Arabic shaped and right to left, then the Latin, left to right on the line', () => {
    const drawn = [...page.glyphRuns].sort((a, b) => a.x - b.x);
    // أحمد: dal final, meem medial, hah initial, alef with hamza (which never joins onwards).
    expect(outlines(pdf, drawn[0])).toEqual(dejavu(0xfeaa, 0xfee4, 0xfea3, 0x0623));
    expect(drawn[0].text).toBe('دمحأ'); // ToUnicode: the letters each glyph stands for, as drawn
    expect(drawn.slice(1).map((r) => r.text).join('')).toBe(' Öberg');
    expect(outlines(pdf, drawn[1])[1]).toEqual(dejavu(0xd6)[0]);
  });

  it('embeds the font and passes the PDF/A-2b check', () => {
    expect(pdfaProblems(pdf)).toEqual([]);
  });

  it('mirrors the line in a right-to-left document: right-aligned, the Latin part on the left', () => {
    const rtl = renderPdf([line], { title: 'Namn', lang: 'ar', createdAt: new Date('2026-05-01T10:00:00Z') });
    const [rtlPage] = readPdfPages(rtl);
    expect(rtlPage.lines).toEqual([NAME]);
    const drawn = [...rtlPage.glyphRuns].sort((a, b) => a.x - b.x);
    expect(drawn.map((r) => r.text).join('')).toBe('Öberg دمحأ');
    // Ends at the right margin (56 pt from the right edge).
    const end = drawn[0].x + textWidth(NAME, 12, 'regular', 'rtl');
    expect(end).toBeCloseTo(595.28 - 56, 1);
    expect(new PdfFile(rtl).catalog.get('Lang')).toMatchObject({ bytes: Buffer.from('ar') });
  });
});

describe('lines of mixed scripts', () => {
  const lines = ['Ahmed bor på شارع 12, lgh 3', 'محمد أحمد ١٢٣ 12 kr', '(أحمد) och [سلام]', 'لا سلام', 'پژوهش – Öberg 2026'];

  it('read back exactly as written, in left-to-right and right-to-left documents', () => {
    for (const lang of ['sv', 'ar']) {
      const pdf = renderPdf([lines.map((text, i) => ({ text, x: 56, y: 100 + 20 * i }))], { title: 'x', lang, createdAt: new Date(0) });
      expect(extractPdfText(pdf), lang).toEqual(lines);
      expect(pdfaProblems(pdf)).toEqual([]);
    }
  });

  it('draw brackets in right-to-left text mirrored, so they still open towards the text', () => {
    const pdf = renderPdf([[{ text: '(أحمد)', x: 56, y: 100 }]], { title: 'x', lang: 'ar', createdAt: new Date(0) });
    // Left to right on the page: "(" then the name then ")"; the glyph at the left is the one for "(".
    expect(readPdfPages(pdf)[0].glyphRuns.map((r) => r.text).join('')).toBe('(دمحأ)');
  });
});

describe('characters the font lacks', () => {
  const pdf = renderPdf([[{ text: 'Selam\u0000 ሰላም', x: 56, y: 100 }]], { title: 'x', createdAt: new Date(0) });

  it('are drawn as U+FFFD, never as .notdef, and the text keeps them (control characters dropped)', () => {
    expect(extractPdfText(pdf)).toEqual(['Selam ሰላም']);
    expect(readPdfPages(pdf)[0].glyphRuns.map((r) => r.text).join('')).toBe('Selam \ufffd\ufffd\ufffd');
    expect(pdfaProblems(pdf)).toEqual([]);
  });
});

describe('renderPdf', () => {
  const pages: PdfItem[][] = [[{ text: 'Sida ett', x: 56, y: 60, bold: true }], [{ text: 'Sida två', x: 56, y: 60 }], [{ text: 'Sida tre', x: 56, y: 60 }]];
  const at = new Date('2026-05-01T10:00:00Z');

  it('gives the same bytes for the same pages, title and time, and others for another time', () => {
    const pdf = renderPdf(pages, { title: 'Tre sidor', createdAt: at });
    expect(renderPdf(pages, { title: 'Tre sidor', createdAt: at }).equals(pdf)).toBe(true);
    expect(renderPdf(pages, { title: 'Tre sidor', createdAt: new Date(at.getTime() + 1000) }).equals(pdf)).toBe(false);
  });

  it('does not depend on the documents made before it', () => {
    // A document that draws the presentation form of veh (ڤ) itself, then one where shaping makes
    // that same glyph from the letter: the second must still map the glyph back to the letter.
    renderPdf([[{ text: 'x \ufb6d y', x: 56, y: 60 }]], { title: 'x', createdAt: at });
    textWidth('\ufb6d', 10);
    const pdf = renderPdf([[{ text: 'ڤڤڤ', x: 56, y: 60 }]], { title: 'x', createdAt: at });
    expect(extractPdfText(pdf)).toEqual(['ڤڤڤ']);
  });

  it('writes one page per list, with its own text', () => {
    const pdf = renderPdf(pages, { title: 'Tre sidor', createdAt: at });
    expect(readPdfPages(pdf).map((p) => p.lines)).toEqual([['Sida ett'], ['Sida två'], ['Sida tre']]);
    expect(pdf.subarray(0, 9).toString('latin1')).toBe('%PDF-1.7\n');
  });

  it('keeps XML out of the title it writes into the XMP metadata', () => {
    const pdf = renderPdf(pages, { title: 'A & <B>', createdAt: at });
    expect(pdfaProblems(pdf)).toEqual([]);
    expect(pdf.toString('latin1')).not.toContain('<B>');
  });
});

describe('the PDF/A check', () => {
  it('finds what a plain PDF lacks: metadata, output intent, embedded fonts, file ID', () => {
    const objects = [
      '<< /Type /Catalog /Pages 2 0 R >>',
      '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
      '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> /ExtGState << /G1 5 0 R >> >> >>',
      '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
      '<< /Type /ExtGState /ca 0.5 >>',
    ];
    let out = '%PDF-1.4\n';
    const offsets = objects.map((body, i) => {
      const at = out.length;
      out += `${i + 1} 0 obj\n${body}\nendobj\n`;
      return at;
    });
    const xref = out.length;
    out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('')}`;
    out += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
    expect(pdfaProblems(Buffer.from(out, 'latin1'))).toEqual([
      'no binary comment after the header',
      'trailer has no /ID',
      'catalog has no /Metadata stream',
      'no GTS_PDFA1 OutputIntent',
      'font 4 (Helvetica) is not embedded',
      'object 5 has /ca 0.5',
    ]);
  });
});

describe('documentPdf', () => {
  it('runs onto further pages, numbered, when the rows do not fit one', () => {
    const rows: [string, string][] = Array.from({ length: 60 }, (_, i) => [`Fråga ${i + 1}`, `Svar ${i + 1}`]);
    const pdf = documentPdf({ title: 'Kvitto', rows, notes: ['Tack.'] }, t);
    const pages = readPdfPages(pdf);
    expect(pages.length).toBe(3);
    expect(pages.map((p) => p.lines.find((l) => l.startsWith('Sida')))).toEqual(['Sida 1 av 3', 'Sida 2 av 3', 'Sida 3 av 3']);
    const text = pages.flatMap((p) => p.lines);
    for (let i = 1; i <= 60; i++) expect(text).toContain(`Svar ${i}`);
    expect(text).toContain('Tack.');
    expect(pdfaProblems(pdf)).toEqual([]);
  });
});
