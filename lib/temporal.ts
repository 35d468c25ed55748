// One way to reach Temporal: embedded dev server or a configured cluster (TLS / API key).
import { readFile } from 'node:fs/promises';
import { Client, Connection, isGrpcServiceError, ServiceError, WorkflowExecutionAlreadyStartedError, type WorkflowStartOptions } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import type { Config } from './config';

/** Address, TLS and API key of the configured cluster (also for the setup script's operator calls). */
export async function connectionOptions(config: Config) {
  const tlsFiles = config.TEMPORAL_TLS_CERT_PATH && config.TEMPORAL_TLS_KEY_PATH;
  const tls = tlsFiles
    ? {
        clientCertPair: {
          crt: await readFile(config.TEMPORAL_TLS_CERT_PATH!),
          key: await readFile(config.TEMPORAL_TLS_KEY_PATH!),
        },
      }
    : config.TEMPORAL_TLS || config.TEMPORAL_API_KEY
      ? true
      : undefined;
  return { address: config.temporalAddress, tls, apiKey: config.TEMPORAL_API_KEY };
}

export async function createTemporalClient(config: Config): Promise<Client> {
  const connection = await Connection.connect(await connectionOptions(config));
  return new Client({ connection, namespace: config.TEMPORAL_NAMESPACE });
}

export async function createWorkerConnection(config: Config): Promise<NativeConnection> {
  return NativeConnection.connect(await connectionOptions(config));
}

/**
 * Starts a workflow unless it already runs (or ran, under REJECT_DUPLICATE): the one way callers
 * start case workflows, so a retried submission or a double click is safe.
 */
export async function startWorkflowOnce(
  temporal: Client,
  workflowType: string,
  options: Omit<WorkflowStartOptions, 'workflowId' | 'taskQueue'> & { workflowId: string; taskQueue: string },
): Promise<void> {
  try {
    await temporal.workflow.start(workflowType, options);
  } catch (err) {
    if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
  }
}

/** Thrown by withinDeadline when Temporal has not answered in time. */
export class TemporalTimeoutError extends Error {
  override name = 'TemporalTimeoutError';
}

/**
 * Runs a Temporal call that must not keep a request waiting: a gRPC deadline, and a hard stop
 * just as long, since the client's retries on an unreachable server outlive the deadline by
 * seconds (measured: a 3 s deadline answered after 5 s; no deadline after 19 s). An abandoned
 * call may still complete later; callers rely only on idempotent calls here.
 */
export async function withinDeadline<T>(temporal: Client, ms: number, call: () => Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const stop = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new TemporalTimeoutError(`Temporal did not answer within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([temporal.withDeadline(Date.now() + ms, call), stop]);
  } finally {
    clearTimeout(timer);
  }
}

/** gRPC UNAVAILABLE and DEADLINE_EXCEEDED: the server is down or too slow, not the call wrong. */
const UNREACHABLE_CODES = new Set([14, 4]);

/** The call failed because Temporal could not be reached (not because Temporal refused it). */
export function isTemporalUnreachable(err: unknown): boolean {
  if (err instanceof TemporalTimeoutError) return true;
  const cause = err instanceof ServiceError ? err.cause : err;
  return isGrpcServiceError(cause) && UNREACHABLE_CODES.has(cause.code);
}

/** What a log or a row may say about a failed Temporal call: its kind and gRPC code, no message. */
export function temporalFailureKind(err: unknown): string {
  if (!(err instanceof Error)) return 'unknown';
  const cause = err instanceof ServiceError ? err.cause : undefined;
  const code = isGrpcServiceError(cause) ? cause.code : isGrpcServiceError(err) ? err.code : undefined;
  return code === undefined ? err.name : `${err.name} (gRPC ${code})`;
}
