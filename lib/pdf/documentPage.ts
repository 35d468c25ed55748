// The shared look of Komet's PDF documents: the city's name as sender, a title, label/value rows.
import { buildPdf, type PdfTextLine } from './simplePdf';

export type PdfTranslate = (key: string, params?: Record<string, string | number>) => string;

export interface DocumentPage {
  title: string;
  rows: [label: string, value: string][];
  /** Paragraph lines under the rows. */
  notes?: string[];
}

const LEFT = 56;
const VALUE_X = 220;

export function documentPdf(page: DocumentPage, t: PdfTranslate): Buffer {
  const lines: PdfTextLine[] = [
    { text: t('fees.pdf.issuer'), x: LEFT, y: 60, size: 14, bold: true },
    { text: t('fees.pdf.issuerUnit'), x: LEFT, y: 78, size: 10 },
    { text: page.title, x: LEFT, y: 140, size: 22, bold: true },
  ];
  let y = 190;
  for (const [label, value] of page.rows) {
    lines.push({ text: label, x: LEFT, y, size: 11, bold: true }, { text: value, x: VALUE_X, y, size: 11 });
    y += 22;
  }
  y += 20;
  for (const note of page.notes ?? []) {
    lines.push({ text: note, x: LEFT, y, size: 10 });
    y += 16;
  }
  return buildPdf(lines, { title: page.title });
}
