// The certificate as a PDF (R6.6, R8.8): holder, training, dates and its document number, with the
// public address where anyone can check it, printed and as a QR code (issue 14 item 7).
import type { Db } from '../db';
import { documentPdf, type PdfTranslate } from '../pdf/documentPage';
import { stockholmDateString } from '../time';
import { verificationUrl } from './verificationCode';

/** A certificate by its document number, with its training's first and last day (for the PDF). */
export async function loadCertificate(db: Db, number: string) {
  const certificate = await db.certificate.findUnique({
    where: { number },
    include: { application: { select: { personId: true, courseId: true } } },
  });
  if (!certificate) return null;
  const span = await db.courseSession.aggregate({
    where: { courseId: certificate.application.courseId },
    _min: { startsAt: true },
    _max: { endsAt: true },
  });
  return { ...certificate, trainingFrom: span._min.startsAt, trainingTo: span._max.endsAt };
}

export type LoadedCertificate = NonNullable<Awaited<ReturnType<typeof loadCertificate>>>;

export function certificatePdf(certificate: LoadedCertificate, publicUrl: string, t: PdfTranslate, lang?: string): Buffer {
  const rows: [string, string][] = [
    [t('fees.pdf.certificate.holder'), certificate.holderName],
    [t('fees.pdf.certificate.training'), certificate.trainingTitle],
  ];
  if (certificate.trainingFrom && certificate.trainingTo) {
    rows.push([
      t('fees.pdf.certificate.period'),
      `${stockholmDateString(certificate.trainingFrom)} – ${stockholmDateString(certificate.trainingTo)}`,
    ]);
  }
  rows.push(
    [t('fees.pdf.certificate.issued'), stockholmDateString(certificate.issuedAt)],
    [t('fees.pdf.certificate.number'), certificate.number],
  );
  const url = verificationUrl(publicUrl, certificate.verificationCode);
  return documentPdf(
    {
      title: t('fees.pdf.certificate.title'),
      rows,
      notes: [
        t('fees.pdf.certificate.statement', { name: certificate.holderName, training: certificate.trainingTitle }),
        t('fees.pdf.certificate.verify'),
        url,
      ],
      qrCode: url,
    },
    t,
    { lang },
  );
}
