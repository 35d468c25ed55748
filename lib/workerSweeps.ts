// What the worker process does beside Temporal's tasks (issue 16): tells the case notices held for
// the end of a quiet period, and deletes drafts past their time. Any number of workers may run
// it: each step takes its rows under a lock (lib/notices/caseNotices.ts) or is a plain delete.
// Not a workflow: a held notice is a row, and a row any worker sweeps survives every restart.
import { purgeExpiredDrafts } from './cases/drafts';
import type { Db } from './db';
import { sweepHeldNotices, type CaseNoticeDeps } from './notices/caseNotices';

export interface WorkerSweeps {
  /** Runs one round now (tests, and the first round at start). */
  runOnce(now?: Date): Promise<void>;
  stop(): Promise<void>;
}

const DRAFT_PURGE_EVERY_MS = 3_600_000;

/** `intervalMs`: how often held notices are looked for; they are told at most this late. */
export function startWorkerSweeps(deps: CaseNoticeDeps & { db: Db }, { intervalMs = 15_000 } = {}): WorkerSweeps {
  let stopped = false;
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<void> = Promise.resolve();
  let lastPurge = 0;

  async function round(now = new Date()): Promise<void> {
    try {
      await sweepHeldNotices(deps, now);
      if (now.getTime() - lastPurge >= DRAFT_PURGE_EVERY_MS) {
        await purgeExpiredDrafts(deps.db, now);
        lastPurge = now.getTime();
      }
    } catch (err) {
      // Class only: the next round tries again.
      console.error(`[sweeps] round failed: ${(err as Error).name}`);
    }
  }

  function schedule(): void {
    if (stopped) return;
    timer = setTimeout(() => {
      running = round().finally(schedule);
    }, intervalMs);
    timer.unref();
  }

  running = round().finally(schedule);
  return {
    runOnce(now) {
      running = running.then(() => round(now));
      return running;
    },
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running;
    },
  };
}
