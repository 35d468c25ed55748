// A minimal PDF 1.4 writer: one A4 page of Helvetica text lines, uncompressed, no dependencies.
// Enough for invoices and certificates; text is WinAnsi (Latin-1 plus a few typographic marks),
// so Swedish å ä ö print as themselves.

/** A4 in points. */
export const A4 = { width: 595.28, height: 841.89 } as const;

export interface PdfTextLine {
  text: string;
  /** From the left edge, in points. */
  x: number;
  /** From the TOP edge, in points (PDF counts from the bottom; we turn it round). */
  y: number;
  size?: number;
  bold?: boolean;
}

/** Characters WinAnsi places in 0x80–0x9F, where Latin-1 has control codes. */
const WIN_ANSI_EXTRA: Record<string, number> = {
  '€': 0x80, '‚': 0x82, '„': 0x84, '…': 0x85, '‘': 0x91, '’': 0x92, '“': 0x93, '”': 0x94, '•': 0x95, '–': 0x96, '—': 0x97,
};

/** One byte per character; spaces Intl uses between digit groups become plain no-break spaces. */
export function toWinAnsi(text: string): string {
  let out = '';
  for (const ch of text.normalize('NFC')) {
    const code = ch.codePointAt(0)!;
    if (ch === '\u202f' || ch === '\u2009') out += '\u00a0';
    else if (WIN_ANSI_EXTRA[ch] !== undefined) out += String.fromCharCode(WIN_ANSI_EXTRA[ch]);
    else if ((code >= 0x20 && code < 0x7f) || (code >= 0xa0 && code <= 0xff)) out += ch;
    else out += '?';
  }
  return out;
}

/** A PDF literal string body: backslash, parentheses escaped. */
export function escapePdfString(text: string): string {
  return text.replace(/[\\()]/g, (m) => `\\${m}`);
}

function contentStream(lines: PdfTextLine[]): string {
  const ops = lines.map((l) => {
    const font = l.bold ? '/F2' : '/F1';
    const y = (A4.height - l.y).toFixed(2);
    return `BT ${font} ${l.size ?? 11} Tf ${l.x.toFixed(2)} ${y} Td (${escapePdfString(toWinAnsi(l.text))}) Tj ET`;
  });
  return ops.join('\n') + '\n';
}

/** The whole file, one page. */
export function buildPdf(lines: PdfTextLine[], info: { title?: string } = {}): Buffer {
  return buildPdfPages([lines], info);
}

/**
 * The whole file, one A4 page per list of lines. Every byte is Latin-1, so string offsets are byte
 * offsets for the xref table. Objects: 1 catalog, 2 page tree, 3 first page, 4–5 fonts, 6 first
 * page's content, then a page and its content per further page, the info dictionary last.
 */
export function buildPdfPages(pages: PdfTextLine[][], info: { title?: string } = {}): Buffer {
  if (pages.length === 0) pages = [[]];
  const pageRef = (i: number) => (i === 0 ? 3 : 7 + 2 * (i - 1));
  const contentRef = (i: number) => (i === 0 ? 6 : 8 + 2 * (i - 1));
  const pageObject = (i: number) =>
    `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 ${A4.width} ${A4.height}] /Resources << /Font << /F1 4 0 R /F2 5 0 R >> >> /Contents ${contentRef(i)} 0 R >>`;
  const streamObject = (lines: PdfTextLine[]) => {
    const stream = contentStream(lines);
    return `<< /Length ${stream.length} >>\nstream\n${stream}endstream`;
  };
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    `<< /Type /Pages /Kids [${pages.map((_, i) => `${pageRef(i)} 0 R`).join(' ')}] /Count ${pages.length} >>`,
    pageObject(0),
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>',
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>',
    streamObject(pages[0]),
    ...pages.slice(1).flatMap((lines, i) => [pageObject(i + 1), streamObject(lines)]),
    `<< /Title (${escapePdfString(toWinAnsi(info.title ?? ''))}) /Producer (Komet) >>`,
  ];
  // A binary comment after the header tells transfer tools the file is not plain text.
  let out = '%PDF-1.4\n%\u00e2\u00e3\u00cf\u00d3\n';
  const offsets: number[] = [];
  objects.forEach((body, i) => {
    offsets.push(out.length);
    out += `${i + 1} 0 obj\n${body}\nendobj\n`;
  });
  const xrefAt = out.length;
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const offset of offsets) out += `${String(offset).padStart(10, '0')} 00000 n \n`;
  out += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R /Info ${objects.length} 0 R >>\nstartxref\n${xrefAt}\n%%EOF\n`;
  return Buffer.from(out, 'latin1');
}
