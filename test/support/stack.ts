// A whole Komet back end for one test file: real Temporal dev server, real PostgreSQL database
// with the demo data, a running worker, and the Resend and SMS stand-ins at the edge.
import { randomUUID } from 'node:crypto';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Worker } from '@temporalio/worker';
import { loadConfig, type Config } from '../../lib/config';
import type { Deps } from '../../lib/deps';
import { createMailer } from '../../lib/mail/mailer';
import { createSmsSender } from '../../lib/sms/smsSender';
import { seedDemoData } from '../../prisma/seed';
import { createWorker, runWorker } from '../../worker';
import { createTestDatabase, type TestDatabase } from './database';
import { startResendStandIn, type ResendStandIn } from './resendStandIn';
import { startSmsStandIn, type SmsStandIn } from './smsStandIn';
import { startTemporal, workflowBundle } from './temporal';
import { installRedactingWorkerLog } from '../../lib/workerLog';

// As in production: the SDK's log shows no error messages (they can carry personal data).
installRedactingWorkerLog('WARN');

export interface TestStack {
  env: TestWorkflowEnvironment;
  database: TestDatabase;
  deps: Deps;
  resend: ResendStandIn;
  sms: SmsStandIn;
  worker: Worker;
  stop(): Promise<void>;
}

export async function startStack(configOverrides: Partial<Config> = {}): Promise<TestStack> {
  const started = await Promise.allSettled([startTemporal(), createTestDatabase(), startResendStandIn(), startSmsStandIn()]);
  const [envR, dbR, resendR, smsR] = started;
  if (envR.status === 'rejected' || dbR.status === 'rejected' || resendR.status === 'rejected' || smsR.status === 'rejected') {
    // Never leave a dev server or a database behind when setup fails half-way.
    if (envR.status === 'fulfilled') await envR.value.teardown();
    if (dbR.status === 'fulfilled') await dbR.value.drop();
    if (resendR.status === 'fulfilled') await resendR.value.close();
    if (smsR.status === 'fulfilled') await smsR.value.close();
    throw started.find((r): r is PromiseRejectedResult => r.status === 'rejected')!.reason;
  }
  const [env, database, resend, sms] = [envR.value, dbR.value, resendR.value, smsR.value];
  await seedDemoData(database.db);
  const config = loadConfig(
    {
      RESEND_API_KEY: 're_test_key',
      RESEND_BASE_URL: resend.url,
      SMS_API_URL: sms.url,
      SMS_API_USERNAME: sms.username,
      SMS_API_PASSWORD: sms.password,
    },
    {
      databaseUrl: database.url,
      TEMPORAL_TASK_QUEUE: `komet-test-${randomUUID()}`,
      sessionSecret: 'test-secret-that-is-long-enough-0123456789',
      ...configOverrides,
    },
  );
  // One process: the chat's nudges need no relay.
  const deps: Deps = { config, db: database.db, temporal: env.client, mailer: createMailer(config), sms: createSmsSender(config), chatRelay: null };
  const worker = await createWorker({
    deps,
    connection: env.nativeConnection,
    taskQueue: config.TEMPORAL_TASK_QUEUE,
    workflowBundle: workflowBundle(),
  });
  const running = runWorker(worker, deps);
  return {
    env,
    database,
    deps,
    resend,
    sms,
    worker,
    async stop() {
      worker.shutdown();
      await running;
      await env.teardown();
      await resend.close();
      await sms.close();
      await database.drop();
    },
  };
}

/** A citizen as the login creates them (e-mail only); the application adds the rest. */
export async function createCitizen(deps: Deps, email = `foralder-${randomUUID().slice(0, 8)}@example.org`) {
  return deps.db.person.create({ data: { email } });
}

export const VALID_DETAILS = {
  name: 'Maria Andersson',
  personnummer: '19811218-9876',
  phone: '+46701112233',
  childAge: 7,
  message: '',
};

/** Valid personnummer with correct checksums, one per test applicant. */
export const TEST_PERSONNUMMER = ['19811218-9876', '19900101-0017', '19850505-0008', '19790312-0009', '19920228-0005', '19880808-0009', '19750615-0007'];
