// Latency measurement: a fixed warm-up, then N calls at a fixed concurrency, each one timed.
// Every loop is bounded by count and by time, so a stuck system ends the bench instead of hanging it.
import { performance } from 'node:perf_hooks';

export interface Result {
  name: string;
  /** Calls that succeeded; failed calls are counted in `errors` and left out of the latencies. */
  requests: number;
  concurrency: number;
  per_s: number;
  p50_ms: number;
  p99_ms: number;
  /** Wall time of the measured calls (warm-up excluded). */
  seconds: number;
  errors: number;
  /** Failure messages (first 120 characters) and how often each occurred. */
  errorKinds: Map<string, number>;
  /** Why the run stopped before n calls, if it did. */
  stoppedEarly?: string;
}

export interface MeasureOptions {
  warmup?: number;
  /** Stop issuing new calls after this long (the calls in flight still finish). */
  maxMs?: number;
  /** Checked before every call: a reason stops the run (e.g. the system under test is gone). */
  stopIf?: () => string | null;
}

/** A measurement left out of this run (BENCH_ONLY): no calls, reported as skipped. */
export function skippedResult(name: string): Result {
  return { name, requests: 0, concurrency: 0, per_s: 0, p50_ms: NaN, p99_ms: NaN, seconds: 0, errors: 0, errorKinds: new Map(), stoppedEarly: 'skipped (BENCH_ONLY)' };
}

/** Nearest-rank percentile of an ascending array (p in 0..100). */
export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1];
}

export async function measure(
  name: string,
  n: number,
  concurrency: number,
  fn: () => Promise<void>,
  { warmup = 20, maxMs = 180_000, stopIf = () => null }: MeasureOptions = {},
): Promise<Result> {
  // Warm-up at the same concurrency: connections, JIT and caches, not recorded.
  await runPool(warmup, concurrency, Date.now() + maxMs, stopIf, fn);

  const started = performance.now();
  const run = await runPool(n, concurrency, Date.now() + maxMs, stopIf, fn);
  return summarise(name, concurrency, [{ ...run, seconds: (performance.now() - started) / 1000 }]);
}

/**
 * Two or more paths measured in turns (A B A B …), `rounds` turns of n / rounds calls each, after
 * each one's warm-up: a slow spell of the machine (its other processes, the host) then falls on
 * every side alike instead of on whichever happened to run during it. Rates are calls over the
 * summed time of a side's turns; latencies are pooled.
 */
export async function measureInTurns(
  sides: { name: string; fn: () => Promise<void> }[],
  n: number,
  rounds: number,
  concurrency: number,
  { warmup = 20, maxMs = 180_000, stopIf = () => null }: MeasureOptions = {},
): Promise<Result[]> {
  for (const side of sides) await runPool(warmup, concurrency, Date.now() + maxMs, stopIf, side.fn);
  const turns = sides.map(() => [] as (Awaited<ReturnType<typeof runPool>> & { seconds: number })[]);
  const perTurn = Math.ceil(n / rounds);
  for (let round = 0; round < rounds; round++) {
    for (const [i, side] of sides.entries()) {
      const started = performance.now();
      const run = await runPool(perTurn, concurrency, Date.now() + maxMs, stopIf, side.fn);
      turns[i].push({ ...run, seconds: (performance.now() - started) / 1000 });
    }
  }
  return sides.map((side, i) => summarise(side.name, concurrency, turns[i]));
}

function summarise(name: string, concurrency: number, runs: { latencies: number[]; errors: string[]; stoppedEarly?: string; seconds: number }[]): Result {
  const latencies = runs.flatMap((r) => r.latencies).sort((a, b) => a - b);
  const errors = runs.flatMap((r) => r.errors);
  const seconds = runs.reduce((sum, r) => sum + r.seconds, 0);
  return {
    name,
    requests: latencies.length,
    concurrency,
    per_s: round(latencies.length / seconds, 1),
    p50_ms: round(percentile(latencies, 50), 2),
    p99_ms: round(percentile(latencies, 99), 2),
    seconds: round(seconds, 2),
    errors: errors.length,
    errorKinds: tally(errors.map((e) => e.slice(0, 120))),
    stoppedEarly: runs.find((r) => r.stoppedEarly)?.stoppedEarly,
  };
}

/** `concurrency` lanes pull call numbers from one counter until n are taken or a bound is hit. */
async function runPool(n: number, concurrency: number, deadline: number, stopIf: () => string | null, fn: () => Promise<void>) {
  const latencies: number[] = [];
  const errors: string[] = [];
  let taken = 0;
  let stoppedEarly: string | undefined;
  const stopReason = () =>
    Date.now() >= deadline
      ? 'time limit'
      : errors.length > n / 2 // most calls failed: going on only loads a broken system
        ? `${errors.length} failures`
        : stopIf();
  const lane = async () => {
    while (taken < n && !stoppedEarly) {
      const reason = stopReason();
      if (reason) {
        stoppedEarly = reason;
        break;
      }
      taken++;
      const t0 = performance.now();
      try {
        await fn();
        latencies.push(performance.now() - t0);
      } catch (err) {
        errors.push(err instanceof Error ? err.message : String(err));
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, Math.max(n, 1)) }, lane));
  return { latencies, errors, stoppedEarly };
}

function tally(items: string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const item of items) counts.set(item, (counts.get(item) ?? 0) + 1);
  return new Map([...counts].sort((a, b) => b[1] - a[1]));
}

function round(value: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}
