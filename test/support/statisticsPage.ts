// Reading the statistics pages as a test: a figure's CSV file as rows of cells, and a figure's
// data table on the page as row key → the cells' text.
import { expect } from 'vitest';
import type { WebClient } from './webClient';

/** The CSV at `path` (with Excel's BOM, semicolons, CRLF) as rows of cells. */
export async function csvRows(client: WebClient, path: string): Promise<string[][]> {
  const res = await client.get(path);
  expect(res.status, path).toBe(200);
  expect(res.headers.get('content-type')).toContain('text/csv');
  const bytes = new Uint8Array(await res.arrayBuffer());
  expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]); // the BOM Excel needs
  const text = new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes).slice(1);
  return text.trimEnd().split('\r\n').map((line) => line.split(';'));
}

/** The data table of a figure on the page: row key → the cells' text. */
export function figureTable(html: string, figure: string): Map<string, string[]> {
  const start = html.indexOf(`<table class="table" data-figure="${figure}">`);
  expect(start, `table of ${figure}`).toBeGreaterThan(-1);
  const body = html.slice(start, html.indexOf('</table>', start));
  const rows = new Map<string, string[]>();
  for (const m of body.matchAll(/<tr data-row="([^"]+)"[^>]*>([\s\S]*?)<\/tr>/g)) {
    rows.set(m[1], [...m[2].matchAll(/<td[^>]*>([^<]*)<\/td>/g)].map((c) => c[1].replace(/\u00a0/g, ' ').trim()));
  }
  return rows;
}
