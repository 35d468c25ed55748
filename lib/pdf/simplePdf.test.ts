import { describe, expect, it } from 'vitest';
import { buildPdf, buildPdfPages } from './simplePdf';
import { extractPdfText } from './pdfText';

describe('buildPdf', () => {
  const pdf = buildPdf(
    [
      { text: 'Faktura KOMF-2026-00001', x: 56, y: 60, size: 20, bold: true },
      { text: 'Åsa Öberg (Södermalm) \\ 1 250,00 kr – betald', x: 56, y: 100 },
    ],
    { title: 'Faktura' },
  );
  const raw = pdf.toString('latin1');

  it('starts with the PDF 1.4 header and ends with %%EOF', () => {
    expect(raw.startsWith('%PDF-1.4\n')).toBe(true);
    expect(raw.trimEnd().endsWith('%%EOF')).toBe(true);
  });

  it('has an xref table whose offsets point at the objects and a startxref pointing at it', () => {
    const startxref = Number(/startxref\n(\d+)\n%%EOF/.exec(raw)![1]);
    expect(raw.slice(startxref, startxref + 4)).toBe('xref');
    const [, count] = /xref\n0 (\d+)\n/.exec(raw.slice(startxref))!;
    const entries = raw.slice(startxref).split('\n').slice(3, 2 + Number(count));
    expect(entries).toHaveLength(Number(count) - 1);
    entries.forEach((entry, i) => {
      const offset = Number(entry.slice(0, 10));
      expect(raw.slice(offset, offset + `${i + 1} 0 obj`.length)).toBe(`${i + 1} 0 obj`);
    });
    expect(raw).toMatch(/trailer\n<< \/Size 8 \/Root 1 0 R/);
  });

  it('declares the stream length in bytes', () => {
    const m = /\/Length (\d+) >>\nstream\n([\s\S]*?)endstream/.exec(raw)!;
    expect(Number(m[1])).toBe(m[2].length);
  });

  it('writes å ä ö as single WinAnsi bytes and the text reads back, escapes undone', () => {
    expect(pdf.includes(Buffer.from([0xc5]))).toBe(true); // Å
    expect(extractPdfText(pdf)).toEqual(['Faktura KOMF-2026-00001', 'Åsa Öberg (Södermalm) \\ 1 250,00 kr – betald']);
  });
});

describe('buildPdfPages', () => {
  const pdf = buildPdfPages([[{ text: 'Sida ett', x: 56, y: 60 }], [{ text: 'Sida två', x: 56, y: 60 }], [{ text: 'Sida tre', x: 56, y: 60 }]], { title: 'Tre sidor' });
  const raw = pdf.toString('latin1');

  it('writes one page object per page, each with its own content, in a valid xref table', () => {
    expect(raw).toMatch(/\/Kids \[3 0 R 7 0 R 9 0 R\] \/Count 3/);
    const startxref = Number(/startxref\n(\d+)\n%%EOF/.exec(raw)![1]);
    const [, count] = /xref\n0 (\d+)\n/.exec(raw.slice(startxref))!;
    const entries = raw.slice(startxref).split('\n').slice(3, 2 + Number(count));
    entries.forEach((entry, i) => {
      const offset = Number(entry.slice(0, 10));
      expect(raw.slice(offset, offset + `${i + 1} 0 obj`.length)).toBe(`${i + 1} 0 obj`);
    });
    expect(extractPdfText(pdf)).toEqual(['Sida ett', 'Sida två', 'Sida tre']);
  });

  it('is the same file as buildPdf for one page', () => {
    const lines = [{ text: 'Ett', x: 56, y: 60 }];
    expect(buildPdfPages([lines], { title: 'x' }).equals(buildPdf(lines, { title: 'x' }))).toBe(true);
  });
});
