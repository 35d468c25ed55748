// The shared look of Komet's documents (certificates, invoices, receipts): the city's name as
// sender, a title, label/value rows, paragraphs and, where the document can be checked, a QR code
// of its address. Runs onto further pages (numbered) when it has to.
import { directionOf } from './bidi';
import { A4, renderPdf } from './document';
import { Flow } from './flow';

export type PdfTranslate = (key: string, params?: Record<string, string | number>) => string;

export interface DocumentPage {
  title: string;
  rows: [label: string, value: string][];
  /** Paragraphs under the rows. */
  notes?: string[];
  /** Drawn as a QR code under the paragraphs (an address that is also printed in them). */
  qrCode?: string;
}

export interface DocumentOptions {
  /** The language of the texts (t's language): it sets the document's direction. */
  lang?: string;
  createdAt?: Date;
}

const START = 56;
const VALUE_AT = 164;
const QR_SIZE = 108;

export function documentPdf(page: DocumentPage, t: PdfTranslate, opts: DocumentOptions = {}): Buffer {
  const f = new Flow({ top: 140, bottom: A4.height - 64, start: START, end: START }, directionOf(opts.lang));
  f.text(page.title, { size: 22, bold: true, lineHeight: 28 });
  f.gap(22);
  for (const [label, value] of page.rows) f.row(label, value, { valueAt: VALUE_AT, size: 11, lineHeight: 22 });
  f.gap(20);
  for (const note of page.notes ?? []) f.text(note, { size: 10, lineHeight: 16 });
  if (page.qrCode) {
    f.gap(4);
    f.qr(page.qrCode, QR_SIZE);
  }
  const pages = f.decorate((n, total) => [
    { text: t('fees.pdf.issuer'), x: START, y: 60, size: 14, bold: true },
    { text: t('fees.pdf.issuerUnit'), x: START, y: 78, size: 10 },
    ...(total > 1 ? [{ text: t('archive.pdf.page', { page: n, pages: total }), x: START, y: A4.height - 36, size: 8 }] : []),
  ]);
  return renderPdf(pages, { title: page.title, lang: opts.lang, createdAt: opts.createdAt });
}
