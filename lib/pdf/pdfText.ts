// Reads back what buildPdf wrote: the strings of the content stream's (…) Tj operators. For
// tests and checks only; not a general PDF parser.
import { Buffer } from 'node:buffer';

export function extractPdfText(pdf: Uint8Array): string[] {
  const text = Buffer.from(pdf).toString('latin1');
  const streams = [...text.matchAll(/stream\n([\s\S]*?)endstream/g)].map((m) => m[1]);
  const out: string[] = [];
  for (const stream of streams) {
    for (const m of stream.matchAll(/\(((?:\\.|[^\\)])*)\)\s*Tj/g)) out.push(unescape(m[1]));
  }
  return out;
}

function unescape(s: string): string {
  return s
    .replace(/\\([\\()])/g, '$1')
    .replace(/[\u0080-\u009f]/g, (c) => WIN_ANSI_BACK[c.charCodeAt(0)] ?? c)
    .replace(/\u00a0/g, ' ');
}

const WIN_ANSI_BACK: Record<number, string> = { 0x80: '€', 0x96: '–', 0x97: '—', 0x92: '’', 0x85: '…', 0x95: '•' };
