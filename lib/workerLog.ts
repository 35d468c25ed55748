// The worker's log (R11.5). Temporal's SDK logs a failed activity together with its error, and a
// database or mail-provider error can repeat the values it was given (an e-mail, a personnummer).
// This logger keeps the SDK's message and its ids, and reduces every error to its class and code.
import { DefaultLogger, Runtime, type LogLevel } from '@temporalio/worker';

type Meta = Record<string | symbol, unknown>;

/** Primitive fields (ids, types, counts) pass; errors and nested objects shrink to what is safe. */
export function redactLogMeta(meta: Meta | undefined): Meta | undefined {
  if (!meta) return meta;
  const out: Meta = {};
  for (const key of Reflect.ownKeys(meta)) {
    const value = meta[key];
    if (value === null || ['string', 'number', 'boolean', 'bigint'].includes(typeof value)) out[key] = value;
    else if (value instanceof Error) out[key] = errorSummary(value);
    else if (typeof value === 'object') out[key] = '[redacted]';
  }
  return out;
}

function errorSummary(err: Error): string {
  const code = (err as { code?: unknown }).code;
  const cause = err.cause instanceof Error ? ` ← ${errorSummary(err.cause)}` : '';
  return `${err.name}${typeof code === 'string' || typeof code === 'number' ? ` (${code})` : ''}${cause}`;
}

let installed = false;

/** Installs the redacting logger for this process's Temporal runtime; once, before any connection. */
export function installRedactingWorkerLog(level: LogLevel = 'INFO'): void {
  if (installed) return;
  installed = true;
  const base = new DefaultLogger(level);
  const logger = new DefaultLogger(level, (entry) => base.log(entry.level, entry.message, redactLogMeta(entry.meta)));
  try {
    Runtime.install({ logger });
  } catch {
    // A runtime already exists in this process (a test that made its own): it keeps its logger.
  }
}
