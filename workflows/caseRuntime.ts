// What every long-lived case workflow needs around its state: one state-changing handler at a
// time (capacity and offers are checked against the previous result), a wake counter that makes
// waits re-plan when a message arrives, and a status kept in step with its search attribute.
import { condition, upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import { CaseStatusKey } from './searchAttributes';

export interface CaseRuntime<Status extends string> {
  /** Marks the state changed: `updatedAt` moves and waits wake up. */
  touch(): void;
  setStatus(status: Status): void;
  exclusively<T>(work: () => Promise<T>): Promise<T>;
  readonly busy: boolean;
  /** A predicate for `condition`: true once anything changed since now, or history is long. */
  changedSinceNow(): () => boolean;
}

export function caseRuntime<Status extends string>(state: { status: Status; updatedAt: string }): CaseRuntime<Status> {
  let busy = false;
  let wake = 0;
  const touch = () => {
    state.updatedAt = new Date().toISOString();
    wake += 1;
  };
  return {
    touch,
    setStatus(status) {
      state.status = status;
      upsertSearchAttributes([{ key: CaseStatusKey, value: status }]);
      touch();
    },
    async exclusively(work) {
      await condition(() => !busy);
      busy = true;
      try {
        return await work();
      } finally {
        busy = false;
        touch();
      }
    },
    get busy() {
      return busy;
    },
    changedSinceNow() {
      const seen = wake;
      return () => wake !== seen || workflowInfo().continueAsNewSuggested;
    },
  };
}
