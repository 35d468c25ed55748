// The worker's memory per cached open case: the resident size of the worker process before and
// after it holds `cases` open parent-application workflows in its cache (each waiting for the
// leader's decision), divided by their number.
import { readdirSync, readFileSync } from 'node:fs';
import { sleep } from './instance';

/** The worker among the launcher's process group: its own process where it has one, else the launcher. */
export function findWorkerPid(groupId: number): number | null {
  const members: { pid: number; cmd: string }[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(fields[2]) !== groupId) continue; // field 5 of stat: the process group
      members.push({ pid: Number(entry), cmd: readFileSync(`/proc/${entry}/cmdline`, 'utf8').replace(/\0/g, ' ') });
    } catch {
      // The process ended while we looked.
    }
  }
  const node = members.filter((m) => /\bnode\b|tsx/.test(m.cmd));
  return (node.find((m) => /worker\.(ts|js)/.test(m.cmd)) ?? node.find((m) => /launcher\.(ts|js)/.test(m.cmd)))?.pid ?? null;
}

export function residentBytes(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = /VmRSS:\s+(\d+) kB/.exec(status);
  if (!kb) throw new Error(`No VmRSS for process ${pid}`);
  return Number(kb[1]) * 1024;
}

export interface WorkerMemoryResult {
  cases: number;
  workerPid: number;
  rssBeforeMiB: number;
  rssAfterMiB: number;
  perCaseKiB: number;
  /** True when the worker was its own process; false when it shares the launcher's. */
  ownProcess: boolean;
}

/**
 * Opens `cases` cases through `open` (one at a time per lane), waits until `openCount` reports them
 * all waiting, lets the worker settle, and compares the resident size.
 */
export async function measureWorkerMemory(
  groupId: number,
  cases: number,
  open: (i: number) => Promise<unknown>,
  allWaiting: () => Promise<boolean>,
): Promise<WorkerMemoryResult> {
  const pid = findWorkerPid(groupId);
  if (!pid) throw new Error('No worker process found in the bench instance');
  const ownProcess = /worker\.(ts|js)/.test(readFileSync(`/proc/${pid}/cmdline`, 'utf8'));
  await sleep(3_000);
  const before = residentBytes(pid);
  let next = 0;
  const lane = async () => {
    while (next < cases) await open(next++);
  };
  await Promise.all(Array.from({ length: 8 }, lane));
  const deadline = Date.now() + 300_000;
  while (!(await allWaiting())) {
    if (Date.now() > deadline) throw new Error(`The ${cases} cases were not all waiting for a decision within 5 minutes`);
    await sleep(1_000);
  }
  await sleep(5_000);
  const after = residentBytes(pid);
  const mib = (b: number) => Math.round((b / 1048576) * 10) / 10;
  return { cases, workerPid: pid, rssBeforeMiB: mib(before), rssAfterMiB: mib(after), perCaseKiB: Math.round(((after - before) / cases / 1024) * 10) / 10, ownProcess };
}
