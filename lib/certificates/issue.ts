// Certificates (R6.6, R7.7, R8.8). Called by the enrolment workflow's certificate activity, so it
// must be idempotent: one certificate per application (unique applicationId), a retry returns it.
// Each gets a document number and a random verification code (verificationCode.ts).
import type { Db } from '../db';
import { nextDocumentNumber } from '../invoices/documentNumber';
import { newVerificationCode } from './verificationCode';

export const CERTIFICATE_NUMBER_PATTERN = /^KOMI-\d{4}-\d{5}$/;

export async function issueCertificate(db: Db, applicationId: string): Promise<{ number: string }> {
  const existing = await db.certificate.findUnique({ where: { applicationId }, select: { number: true } });
  if (existing) return existing;
  try {
    return await db.$transaction(async (tx) => {
      const application = await tx.application.findUniqueOrThrow({
        where: { id: applicationId },
        select: { person: { select: { name: true, email: true } }, course: { select: { title: true } } },
      });
      const number = await nextDocumentNumber(tx, 'certificate', 'KOMI', new Date());
      await tx.certificate.create({
        data: {
          number,
          verificationCode: newVerificationCode(),
          applicationId,
          holderName: application.person.name ?? application.person.email,
          trainingTitle: application.course.title,
        },
      });
      return { number };
    });
  } catch (err) {
    // Two concurrent first calls: the loser's insert hits the unique applicationId and rolls back
    // (its counter bump with it); the winner's number is the answer.
    const raced = await db.certificate.findUnique({ where: { applicationId }, select: { number: true } });
    if (raced) return raced;
    throw err;
  }
}
