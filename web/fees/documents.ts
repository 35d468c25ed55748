// Invoice and certificate PDFs for the person whose case it is, and for admins; anyone else gets
// the same 404 as for a number that does not exist.
import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { mayOpenCaseDocument } from '../../lib/policy';
import type { AppEnv } from '../context';

/** Whether the logged-in user may download a document of this applicant's case (lib/policy). */
export function mayDownload(c: Context<AppEnv>, ownerId: string): boolean {
  return mayOpenCaseDocument(c.get('user'), ownerId);
}

/** "KOMF-2026-00001.pdf" → "KOMF-2026-00001", or null when the path names no PDF. */
export function pdfNumber(file: string, pattern: RegExp): string | null {
  if (!file.endsWith('.pdf')) return null;
  const number = file.slice(0, -4);
  return pattern.test(number) ? number : null;
}

export function sendPdf(c: Context<AppEnv>, pdf: Buffer, fileName: string) {
  c.header('Content-Type', 'application/pdf');
  c.header('Content-Disposition', `inline; filename="${fileName}"`);
  return c.body(new Uint8Array(pdf));
}

/** Anonymous visitors are sent to log in first; the answer after that is decided by mayDownload. */
export function requireLoginFor(c: Context<AppEnv>) {
  if (c.get('user')) return null;
  return c.redirect(`/logga-in?next=${encodeURIComponent(c.req.path)}`, 303);
}

export function notFound(): never {
  throw new HTTPException(404);
}
