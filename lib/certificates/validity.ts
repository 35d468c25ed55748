// Whether an issued certificate still holds: the one place that decides it, asked by the public
// verification page (web/verify). It holds while what it certifies still holds, by the same rule
// that issued it (rules/training.ts): the training completed and "Godkänd" set after its end. A
// certificate whose approval was withdrawn, or whose records no longer meet the requirement, is
// shown as not valid. The reason stays internal: the public page says only "not valid".
import type { Db } from '../db';
import { loadTrainingFacts } from '../trainings/completion';
import { certificateValidity as rule } from '../../rules/training';

export type CertificateValidity = { valid: true } | { valid: false; reason: string };

export async function certificateValidity(db: Db, certificate: { id: string; applicationId: string; issuedAt: Date }): Promise<CertificateValidity> {
  const verdict = rule(await loadTrainingFacts(db, certificate.applicationId), certificate.issuedAt);
  return verdict.ok ? { valid: true } : { valid: false, reason: verdict.code };
}
