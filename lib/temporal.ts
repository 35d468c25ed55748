// One way to reach Temporal: embedded dev server or a configured cluster (TLS / API key).
import { readFile } from 'node:fs/promises';
import { Client, Connection, WorkflowExecutionAlreadyStartedError, type WorkflowStartOptions } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import type { Config } from './config';

async function connectionOptions(config: Config) {
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
