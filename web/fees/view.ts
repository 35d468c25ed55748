// Rendering for the fee pages: the shared render helper plus amount and date formatting.
import type { Context } from 'hono';
import type { Db } from '../../lib/db';
import { formatKronor } from '../../lib/invoices/money';
import type { AppEnv } from '../context';
import { render, type ViewData } from '../render';

/** Invoice dates are calendar days (YYYY-MM-DD), shown as such in both languages. */
export const isoDate = (d: Date) => d.toISOString().slice(0, 10);

export function feeFormatters(lang: string) {
  return { kr: (ore: number) => formatKronor(ore, lang), isoDate };
}

export function renderFees(c: Context<AppEnv>, view: string, data: ViewData, status: 200 | 404 | 422 | 429 = 200) {
  return render(c, view, { ...feeFormatters(c.get('lang')), ...data }, status);
}

/** The participant's invoices and certificate for their case page (web/my-cases). */
export async function caseDocuments(db: Db, applicationId: string, lang: string) {
  const [invoices, certificate] = await Promise.all([
    db.invoice.findMany({ where: { applicationId }, orderBy: { issuedAt: 'asc' }, select: { number: true, amountOre: true, dueDate: true, paidAt: true } }),
    db.certificate.findUnique({ where: { applicationId }, select: { number: true } }),
  ]);
  return { invoices, certificate, ...feeFormatters(lang) };
}
