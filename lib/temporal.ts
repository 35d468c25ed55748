// One way to reach Temporal: embedded dev server or a configured cluster (TLS / API key).
import { readFile } from 'node:fs/promises';
import { Client, Connection } from '@temporalio/client';
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
