// How an update validator refuses: a failure of the refusal type, carrying the rules' code. The
// update is then never accepted, so nothing enters the history; the command client turns it into
// `{ ok: false, code }` for the page.
import { ApplicationFailure } from '@temporalio/workflow';
import { REFUSAL_FAILURE_TYPE, type Verdict } from '../rules/refusals';

export function assertAllowed(verdict: Verdict): void {
  if (!verdict.ok) throw ApplicationFailure.create({ type: REFUSAL_FAILURE_TYPE, message: verdict.code, nonRetryable: true });
}
