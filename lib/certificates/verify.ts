// The public check of a certificate (web/verify): found by its verification code only, and only
// what the page may show: holder, training, date, and whether it holds.
import type { Db } from '../db';
import { certificateValidity, type CertificateValidity } from './validity';
import { VERIFICATION_CODE_PATTERN } from './verificationCode';

export interface PublicCertificate {
  holderName: string;
  trainingTitle: string;
  issuedAt: Date;
  validity: CertificateValidity;
}

/** Null for anything that is not a code of an issued certificate (a document number included). */
export async function verifyCertificate(db: Db, code: string): Promise<PublicCertificate | null> {
  if (!VERIFICATION_CODE_PATTERN.test(code)) return null;
  const certificate = await db.certificate.findUnique({
    where: { verificationCode: code },
    select: { id: true, applicationId: true, holderName: true, trainingTitle: true, issuedAt: true },
  });
  if (!certificate) return null;
  const { holderName, trainingTitle, issuedAt } = certificate;
  return { holderName, trainingTitle, issuedAt, validity: await certificateValidity(db, certificate) };
}
