// What every long-lived case workflow needs around its state: one state-changing handler at a
// time (capacity and offers are checked against the previous result), a wake counter that makes
// waits re-plan when a message arrives, and a status kept in step with its search attribute.
import { condition, patched, upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import { CaseStatusKey, INSPECTOR_ATTRIBUTES_PATCH, WaitingForKey, WaitingSinceKey } from './searchAttributes';

export interface CaseRuntime<Status extends string, Waiting extends string> {
  /** Marks the state changed: `updatedAt` moves and waits wake up. */
  touch(): void;
  setStatus(status: Status): void;
  /**
   * What the case waits for now. A changed value restarts `waitingSince` and moves the
   * waiting-for search attributes, so supervisors can find cases stuck at one step (R9.4).
   */
  waitFor(what: Waiting | null): void;
  exclusively<T>(work: () => Promise<T>): Promise<T>;
  readonly busy: boolean;
  /** A predicate for `condition`: true once anything changed since now, or history is long. */
  changedSinceNow(): () => boolean;
}

interface RuntimeState<Status extends string, Waiting extends string> {
  status: Status;
  updatedAt: string;
  waitingFor: Waiting | null;
  waitingSince?: string | null;
}

export function caseRuntime<Status extends string, Waiting extends string>(
  state: RuntimeState<Status, Waiting>,
): CaseRuntime<Status, Waiting> {
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
    waitFor(what) {
      if (state.waitingFor === what && state.waitingSince) return;
      state.waitingFor = what;
      state.waitingSince = new Date().toISOString();
      if (patched(INSPECTOR_ATTRIBUTES_PATCH)) {
        upsertSearchAttributes([
          { key: WaitingForKey, value: what ?? 'nothing' },
          { key: WaitingSinceKey, value: new Date(state.waitingSince) },
        ]);
      }
    },
    async exclusively(work) {
      // Wait again if another handler woken at the same moment got there first (both would pass a
      // single wait); the first wait always happens, as the recorded histories expect.
      do await condition(() => !busy);
      while (busy);
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
