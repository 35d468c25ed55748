// The invoice as a PDF (R8.6): number, dates, amount, participant, training, payment details.
import type { Db } from '../db';
import { documentPdf, type PdfTranslate } from '../pdf/documentPage';
import { stockholmDateString } from '../time';
import { formatKronor } from './money';

export async function loadInvoice(db: Db, number: string) {
  return db.invoice.findUnique({
    where: { number },
    include: { application: { select: { personId: true, caseNumber: true, person: { select: { name: true, email: true } }, course: { select: { title: true } } } } },
  });
}

export type LoadedInvoice = NonNullable<Awaited<ReturnType<typeof loadInvoice>>>;

export function invoicePdf(invoice: LoadedInvoice, t: PdfTranslate, lang: string): Buffer {
  const person = invoice.application.person;
  return documentPdf(
    {
      title: t('fees.pdf.invoice.title', { number: invoice.number }),
      rows: [
        [t('fees.pdf.invoice.number'), invoice.number],
        [t('fees.pdf.invoice.date'), stockholmDateString(invoice.issuedAt)],
        [t('fees.pdf.invoice.dueDate'), invoice.dueDate.toISOString().slice(0, 10)],
        [t('fees.pdf.invoice.recipient'), person.name ?? person.email],
        [t('fees.pdf.invoice.training'), invoice.application.course.title],
        [t('fees.pdf.invoice.reference'), invoice.application.caseNumber],
        [t('fees.pdf.invoice.amount'), formatKronor(invoice.amountOre, lang)],
        [t('fees.pdf.invoice.bankgiro'), t('fees.pdf.invoice.bankgiroNumber')],
      ],
      notes: [
        t('fees.pdf.invoice.payNote', { number: invoice.number }),
        ...(invoice.paidAt ? [t('fees.pdf.invoice.paid', { date: stockholmDateString(invoice.paidAt) })] : []),
      ],
    },
    t,
    { lang },
  );
}
