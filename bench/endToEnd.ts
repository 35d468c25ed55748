// Applications carried end to end: stored, their workflow started, and the confirmation handed to
// the mailer. Submissions run at a fixed concurrency for a fixed time; each counts once its
// confirmation is in the notification log as sent (or logged, without a Resend key) within the
// run's time; per_s is those over the run. The latency is from the POST to that moment (the log's
// sentAt: the bench and the instance share a clock), for every confirmation, the late ones too.
import type { Db } from '../lib/db';
import { percentile, type Result } from './measure';
import { sleep } from './instance';

export interface EndToEndOptions {
  seconds: number;
  concurrency: number;
  /**
   * After the last submission, the confirmations still under way are waited for as long as they
   * keep coming: until none has come for `stallMs`, or `drainMs` in all. The run accepts
   * applications faster than the worker confirms them, so the backlog takes minutes.
   */
  drainMs: number;
  stallMs: number;
  submit: (email: string) => Promise<unknown>;
  nextEmail: () => string;
  stopIf?: () => string | null;
}

export async function measureEndToEnd(db: Db, o: EndToEndOptions): Promise<Result> {
  const postedAt = new Map<string, number>();
  const errors = new Map<string, number>();
  const until = Date.now() + o.seconds * 1000;
  let stoppedEarly: string | undefined;
  const lane = async () => {
    while (Date.now() < until && !stoppedEarly) {
      const reason = o.stopIf?.();
      if (reason) {
        stoppedEarly = reason;
        break;
      }
      const email = o.nextEmail();
      const t0 = Date.now();
      try {
        await o.submit(email);
        postedAt.set(email, t0);
      } catch (err) {
        const message = (err instanceof Error ? err.message : String(err)).slice(0, 120);
        errors.set(message, (errors.get(message) ?? 0) + 1);
      }
    }
  };
  await Promise.all(Array.from({ length: o.concurrency }, lane));

  // The confirmations: wait until every acknowledged submission has one, or the drain time is up.
  const done = new Map<string, number>();
  const drainUntil = Date.now() + o.drainMs;
  const recipients = [...postedAt.keys()];
  let lastProgress = Date.now();
  while (done.size < recipients.length && Date.now() < drainUntil && Date.now() - lastProgress < o.stallMs) {
    const before = done.size;
    const pending = recipients.filter((r) => !done.has(r));
    for (let i = 0; i < pending.length; i += 1000) {
      const rows = await db.notification.findMany({
        where: { channel: 'email', recipient: { in: pending.slice(i, i + 1000) }, status: { in: ['sent', 'logged'] }, sentAt: { not: null } },
        select: { recipient: true, sentAt: true },
      });
      for (const row of rows) if (!done.has(row.recipient)) done.set(row.recipient, row.sentAt!.getTime());
    }
    if (done.size > before) lastProgress = Date.now();
    if (done.size < recipients.length) await sleep(500);
  }
  const latencies = [...done].map(([email, sentAt]) => Math.max(0, sentAt - postedAt.get(email)!)).sort((a, b) => a - b);
  // Carried: confirmed within the run's own time (those confirmed during the drain count in the latencies only).
  const carried = [...done.values()].filter((sentAt) => sentAt <= until).length;
  const missing = recipients.length - done.size;
  if (missing) errors.set(`no confirmation: none came for ${o.stallMs / 1000} s, or ${o.drainMs / 1000} s passed after the run`, missing);
  return {
    name: 'endToEnd',
    requests: done.size,
    concurrency: o.concurrency,
    per_s: Math.round((carried / o.seconds) * 10) / 10,
    p50_ms: Math.round(percentile(latencies, 50) * 100) / 100,
    p99_ms: Math.round(percentile(latencies, 99) * 100) / 100,
    seconds: o.seconds,
    errors: [...errors.values()].reduce((a, b) => a + b, 0),
    errorKinds: errors,
    stoppedEarly,
  };
}
