// Signals and updates to a training case's workflow. The database row is already stored when these
// run; a workflow that cannot be reached is reported to the admin, never turned into a 500.
import type { Deps } from '../../lib/deps';
import {
  invoiceIssuedSignal,
  invoicePaidSignal,
  issueCertificateUpdate,
  type IssueCertificateResult,
} from '../../workflows/professionalEnrolment.messages';

type Temporal = Pick<Deps, 'temporal'>;

async function reached(run: () => Promise<unknown>): Promise<boolean> {
  try {
    await run();
    return true;
  } catch (err) {
    console.warn(`[fees] workflow not reached: ${(err as Error).name}`);
    return false;
  }
}

export function tellInvoiceIssued(deps: Temporal, workflowId: string, invoiceId: string, dueDate: Date) {
  const args = { invoiceId, dueDate: dueDate.toISOString().slice(0, 10) };
  return reached(() => deps.temporal.workflow.getHandle(workflowId).signal(invoiceIssuedSignal, args));
}

export function tellInvoicePaid(deps: Temporal, workflowId: string, invoiceId: string) {
  return reached(() => deps.temporal.workflow.getHandle(workflowId).signal(invoicePaidSignal, { invoiceId }));
}

export type CertificateOutcome = IssueCertificateResult | { ok: false; code: 'unreachable' };

export async function askForCertificate(deps: Temporal, workflowId: string, actorId: string): Promise<CertificateOutcome> {
  try {
    return await deps.temporal.workflow.getHandle(workflowId).executeUpdate(issueCertificateUpdate, { args: [{ actorId }] });
  } catch (err) {
    console.warn(`[fees] certificate update failed: ${(err as Error).name}`);
    return { ok: false, code: 'unreachable' };
  }
}
