// Which failures mean "a part is down or restarting", not "this request is wrong": the one error
// path answers them with the friendly 503 (web/errors.ts), never a 500.
import { isTemporalUnreachable } from './temporal';

/** Prisma's codes for a server it cannot reach or that went away; PostgreSQL's for starting/stopping. */
const DB_CODES = new Set(['P1001', 'P1002', 'P1008', 'P1017', 'P2024', 'ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', '57P01', '57P02', '57P03', '08000', '08001', '08003', '08004', '08006']);
/** The driver adapter's kinds for the same (Prisma 6 driver adapters, meta.driverAdapterError.cause.kind). */
const ADAPTER_KINDS = new Set(['DatabaseNotReachable', 'ConnectionClosed', 'SocketTimeout', 'TooManyConnections']);

export function isDatabaseUnreachable(err: unknown): boolean {
  const seen = new Set<unknown>();
  const queue: unknown[] = [err];
  while (queue.length) {
    const e = queue.shift();
    if (!e || typeof e !== 'object' || seen.has(e)) continue;
    seen.add(e);
    const { code, kind, originalCode, message, cause, meta } = e as Record<string, unknown>;
    if (typeof code === 'string' && DB_CODES.has(code)) return true;
    if (typeof originalCode === 'string' && DB_CODES.has(originalCode)) return true;
    if (typeof kind === 'string' && ADAPTER_KINDS.has(kind)) return true;
    // node-postgres when the server dies under an open connection (no code on that error).
    if (typeof message === 'string' && /^Connection terminated/.test(message)) return true;
    queue.push(cause, (meta as Record<string, unknown> | undefined)?.driverAdapterError);
  }
  return false;
}

/** A part (database or Temporal) is unreachable: the service is restarting or down, not broken. */
export function isPartUnavailable(err: unknown): boolean {
  return isDatabaseUnreachable(err) || isTemporalUnreachable(err);
}
