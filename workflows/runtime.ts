// What every long-lived workflow needs around its state (parentApplication, professionalEnrolment,
// webCourseGuidance, chatConversation): one state-changing handler at a time (capacity, offers
// and modules are checked against the previous result), a wake counter that makes waits re-plan
// when a message arrives, and for cases a status kept in step with its search attribute.
import { condition, patched, upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import { CaseStatusKey, INSPECTOR_ATTRIBUTES_PATCH, WaitingForKey, WaitingSinceKey } from './searchAttributes';

export interface HandlerRuntime {
  /** Marks the state changed: `updatedAt` moves and waits wake up. */
  touch(): void;
  /**
   * Runs `work` alone. `refusal`, when given, is asked once it is this handler's turn: an answer
   * other than null is returned at once, without taking the turn or marking anything changed.
   */
  exclusively<T>(work: () => Promise<T>, refusal?: () => T | null): Promise<T>;
  readonly busy: boolean;
  /** A predicate for `condition`: true once anything changed since now, or history is long. */
  changedSinceNow(): () => boolean;
}

/**
 * Time to continue as new: the server suggests it, or (in tests) the history passed a given length.
 * Without a limit this is the server's suggestion alone, as recorded histories expect.
 */
export function historyIsLong(limit?: number): boolean {
  const info = workflowInfo();
  return info.continueAsNewSuggested || (limit !== undefined && info.historyLength > limit);
}

export interface RuntimeOptions {
  /**
   * Whether a handler always waits one turn before taking the lock, even when it is free. The case
   * workflows' recorded histories were made that way; the chat's without it. Kept per workflow, so
   * that the order of their commands, and so their histories, stay as they were.
   */
  alwaysYield: boolean;
  /** See historyIsLong. */
  historyLimit?: number;
}

export function handlerRuntime(state: { updatedAt: string }, options: RuntimeOptions): HandlerRuntime {
  let busy = false;
  let wake = 0;
  const touch = () => {
    state.updatedAt = new Date().toISOString();
    wake += 1;
  };
  return {
    touch,
    async exclusively(work, refusal) {
      // A loop, not one wait: two handlers woken at the same moment both pass one check of `!busy`,
      // and only the first to resume may take the lock.
      if (options.alwaysYield) await condition(() => !busy);
      while (busy) await condition(() => !busy);
      const refused = refusal?.();
      if (refused !== undefined && refused !== null) return refused;
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
      return () => wake !== seen || historyIsLong(options.historyLimit);
    },
  };
}

export interface CaseRuntime<Status extends string, Waiting extends string> extends HandlerRuntime {
  setStatus(status: Status): void;
  /**
   * What the case waits for now. A changed value restarts `waitingSince` and moves the
   * waiting-for search attributes, so supervisors can find cases stuck at one step (R9.4).
   */
  waitFor(what: Waiting | null): void;
}

interface CaseState<Status extends string, Waiting extends string> {
  status: Status;
  updatedAt: string;
  waitingFor: Waiting | null;
  waitingSince?: string | null;
}

export function caseRuntime<Status extends string, Waiting extends string>(state: CaseState<Status, Waiting>, historyLimit?: number): CaseRuntime<Status, Waiting> {
  const base = handlerRuntime(state, { alwaysYield: true, historyLimit });
  return {
    touch: base.touch,
    exclusively: base.exclusively,
    changedSinceNow: base.changedSinceNow,
    get busy() {
      return base.busy;
    },
    setStatus(status) {
      state.status = status;
      upsertSearchAttributes([{ key: CaseStatusKey, value: status }]);
      base.touch();
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
  };
}
