// Invoices for training fees (R8.6). The page signals the case workflow afterwards; the invoice
// is stored first so an unreachable workflow never loses it.
import type { Db } from '../db';
import { nextDocumentNumber } from './documentNumber';

export const INVOICE_NUMBER_PATTERN = /^KOMF-\d{4}-\d{5}$/;

export interface IssueInvoiceInput {
  applicationId: string;
  amountOre: number;
  dueDate: Date;
}

export async function issueInvoice(db: Db, input: IssueInvoiceInput): Promise<{ id: string; number: string }> {
  return db.$transaction(async (tx) => {
    const number = await nextDocumentNumber(tx, 'invoice', 'KOMF', new Date());
    const invoice = await tx.invoice.create({
      data: { number, applicationId: input.applicationId, amountOre: input.amountOre, dueDate: input.dueDate },
      select: { id: true, number: true },
    });
    return invoice;
  });
}

export async function markInvoicePaid(db: Db, invoiceId: string, at = new Date()): Promise<boolean> {
  const { count } = await db.invoice.updateMany({ where: { id: invoiceId, paidAt: null }, data: { paidAt: at } });
  return count === 1;
}
