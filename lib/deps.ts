// The one place that builds the process's dependencies from a Config.
import type { Client } from '@temporalio/client';
import { chatHub } from './chat/hub';
import { relayChatHub, type ChatHubRelay } from './chat/hubRelay';
import type { Config } from './config';
import { createDb, type Db } from './db';
import { createMailer, type Mailer } from './mail/mailer';
import { createSmsSender, type SmsSender } from './sms/smsSender';
import { createTemporalClient } from './temporal';

export interface Deps {
  config: Config;
  db: Db;
  temporal: Client;
  mailer: Mailer;
  sms: SmsSender;
  /** Chat nudges to and from the other processes (web servers and workers, embedded mode too). */
  chatRelay: ChatHubRelay | null;
}

export async function createDeps(config: Config, overrides: Partial<Omit<Deps, 'config'>> = {}): Promise<Deps> {
  return {
    config,
    db: overrides.db ?? createDb(config.databaseUrl, config.databasePoolSize),
    temporal: overrides.temporal ?? (await createTemporalClient(config)),
    mailer: overrides.mailer ?? createMailer(config),
    sms: overrides.sms ?? createSmsSender(config),
    chatRelay: 'chatRelay' in overrides ? (overrides.chatRelay ?? null) : chatRelayFor(config),
  };
}

/** Web and worker are separate processes in every mode (the embedded launcher's too). */
function chatRelayFor(config: Config): ChatHubRelay {
  return relayChatHub(chatHub, config.databaseUrl);
}

export async function closeDeps(deps: Deps): Promise<void> {
  await deps.chatRelay?.stop();
  await deps.db.$disconnect();
  await deps.temporal.connection.close();
}
