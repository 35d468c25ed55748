// Whether an issued certificate still holds: the one place that decides it, asked by the public
// verification page (web/verify). Today every issued certificate is valid; a rule that withdraws
// one (a certificate whose requirements are no longer met) belongs here and nowhere else.
import type { Db } from '../db';

export type CertificateValidity = { valid: true } | { valid: false; reason: string };

export async function certificateValidity(db: Db, certificate: { id: string; applicationId: string }): Promise<CertificateValidity> {
  void db;
  void certificate;
  return { valid: true };
}
