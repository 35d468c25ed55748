// The receipt of an application (issue 16, R2.2–R2.3): a PDF the applicant downloads and keeps,
// with the case number and when it was received. On the shared document page (lib/pdf).
import type { Db } from '../db';
import { documentPdf, type PdfTranslate } from '../pdf/documentPage';
import { formatDateTime } from '../time';

export async function loadReceipt(db: Db, caseNumber: string) {
  return db.application.findUnique({
    where: { caseNumber },
    select: {
      caseNumber: true,
      personId: true,
      submittedAt: true,
      person: { select: { name: true, email: true } },
      course: { select: { title: true, district: { select: { name: true } } } },
    },
  });
}

export type LoadedReceipt = NonNullable<Awaited<ReturnType<typeof loadReceipt>>>;

export function receiptPdf(receipt: LoadedReceipt, t: PdfTranslate, lang: string, myCasesUrl: string): Buffer {
  return documentPdf(
    {
      title: t('receipt.title'),
      rows: [
        [t('receipt.caseNumber'), receipt.caseNumber],
        [t('receipt.received'), formatDateTime(receipt.submittedAt, lang)],
        [t('receipt.course'), receipt.course.title],
        [t('receipt.district'), receipt.course.district?.name ?? t('receipt.web')],
        [t('receipt.applicant'), receipt.person.name ?? receipt.person.email],
        [t('receipt.email'), receipt.person.email],
      ],
      notes: [t('receipt.keep'), t('receipt.follow', { link: myCasesUrl })],
    },
    t,
  );
}
