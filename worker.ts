// The Temporal worker: runs every workflow and activity on the configured task queue.
// `npm run worker` runs it alone (production); the embedded launcher runs it as its own supervised
// child process (KOMET_SUPERVISED=1), which says "ready" over IPC and ends when the launcher goes.
import { existsSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { bundleWorkflowCode, Worker, type NativeConnection, type WorkerOptions } from '@temporalio/worker';
import { createActivities } from './activities';
import { loadConfig } from './lib/config';
import { createDeps, closeDeps, type Deps } from './lib/deps';
import { isMainModule } from './lib/isMain';
import { fromRoot } from './lib/projectRoot';
import { createWorkerConnection } from './lib/temporal';
import { ensureRetentionScheduleAtStart } from './lib/archive/retentionSchedule';
import { reconcileWorkflowStarts, startWorkflowReconciler } from './lib/outbox/reconciler';
import { installRedactingWorkerLog } from './lib/workerLog';
import { startWorkerSweeps } from './lib/workerSweeps';

export const WORKFLOWS_PATH = fromRoot('workflows', 'index.ts');

/**
 * The compiled worker (`npm run build`, then dist/worker.js) runs the workflow bundle the same build
 * wrote beside it, so code and bundle always match and nothing is bundled at start. Run from the
 * TypeScript sources (tsx) it has none: it bundles at start unless WORKFLOW_BUNDLE_PATH names one.
 */
export function compiledWorkflowBundle(moduleUrl = import.meta.url): string | undefined {
  if (moduleUrl.endsWith('.ts')) return undefined;
  const path = fileURLToPath(new URL('./workflow-bundle.js', moduleUrl));
  if (!existsSync(path)) throw new Error(`${path} saknas / is missing: run npm run build`);
  return path;
}

export interface WorkerSetup {
  deps: Pick<Deps, 'db' | 'mailer' | 'sms' | 'config'>;
  connection: NativeConnection;
  taskQueue: string;
  workflowBundle?: WorkerOptions['workflowBundle'];
}

export async function createWorker({ deps, connection, taskQueue, workflowBundle }: WorkerSetup): Promise<Worker> {
  // Production runs the bundle built by `npm run build` (or WORKFLOW_BUNDLE_PATH): no bundling at
  // every start, and every worker runs exactly the same code.
  const prebuilt = deps.config.WORKFLOW_BUNDLE_PATH ?? compiledWorkflowBundle();
  const bundle = workflowBundle ?? (prebuilt ? { codePath: prebuilt } : undefined);
  return Worker.create({
    connection,
    namespace: deps.config.TEMPORAL_NAMESPACE,
    taskQueue,
    ...(bundle ? { workflowBundle: bundle } : { workflowsPath: WORKFLOWS_PATH }),
    activities: createActivities(deps),
    maxCachedWorkflows: deps.config.WORKER_MAX_CACHED_WORKFLOWS,
  });
}

/**
 * Runs the worker until it shuts down, and beside it the worker's sweeps (held notices told when
 * their quiet period ends, expired drafts deleted).
 */
export async function runWorker(worker: Worker, deps: WorkerSetup['deps']): Promise<void> {
  const sweeps = startWorkerSweeps(deps);
  try {
    await worker.run();
  } finally {
    await sweeps.stop();
  }
}

async function main(): Promise<void> {
  installRedactingWorkerLog();
  const config = loadConfig();
  const deps = await createDeps(config);
  const connection = await createWorkerConnection(config);
  const worker = await createWorker({ deps, connection, taskQueue: config.TEMPORAL_TASK_QUEUE, workflowBundle: await launcherBundle(config.WORKFLOW_BUNDLE_PATH ?? compiledWorkflowBundle()) });
  await ensureRetentionScheduleAtStart(deps.temporal, config.TEMPORAL_TASK_QUEUE);
  // Cases acknowledged while Temporal was unreachable get their process (issue 14): now, then every minute.
  const stopReconciler = startWorkflowReconciler({ db: deps.db, temporal: deps.temporal, taskQueue: config.TEMPORAL_TASK_QUEUE });
  console.log(`Komet worker polling task queue "${config.TEMPORAL_TASK_QUEUE}"`);
  if (process.env.KOMET_SUPERVISED === '1' && process.send) {
    // The launcher tells when Temporal is back after a restart: what waits is started now, not in a minute.
    process.on('message', (m: { type?: string } | null) => {
      if (m?.type === 'reconcile') void reconcileSoon({ db: deps.db, temporal: deps.temporal, taskQueue: config.TEMPORAL_TASK_QUEUE });
    });
    process.send({ type: 'ready' });
    process.once('disconnect', () => worker.shutdown());
  }
  await runWorker(worker, deps); // Resolves after SIGINT/SIGTERM: the SDK shuts the worker down gracefully.
  await stopReconciler();
  await connection.close();
  await closeDeps(deps);
  process.exit(0); // a timer or socket left by a library must not keep a stopped worker alive
}

/** A few passes a couple of seconds apart: the client may need a moment to find the server again. */
async function reconcileSoon(deps: Parameters<typeof reconcileWorkflowStarts>[0], passes = 5): Promise<void> {
  for (let i = 0; i < passes; i++) {
    const result = await reconcileWorkflowStarts(deps, { waitMs: 2_000 }).catch(() => null);
    if (result && result.deferred === 0) return;
    await new Promise((r) => setTimeout(r, 2_000));
  }
}

/**
 * Under the embedded launcher: the workflow code is bundled by the first worker start of each
 * `npm start` into the file the launcher names (KOMET_WORKFLOW_BUNDLE_CACHE), and a restarted
 * worker reuses it, so it is polling again in a second or two rather than after a fresh bundle.
 */
async function launcherBundle(prebuilt: string | undefined): Promise<WorkerOptions['workflowBundle']> {
  const cache = process.env.KOMET_WORKFLOW_BUNDLE_CACHE;
  if (prebuilt || !cache) return undefined;
  if (existsSync(cache)) return { codePath: cache };
  const { code } = await bundleWorkflowCode({ workflowsPath: WORKFLOWS_PATH, logger: quietBundler });
  writeFileSync(cache, code);
  return { code };
}

const quiet = () => {};
const quietBundler = { trace: quiet, debug: quiet, info: quiet, warn: quiet, error: console.error, log: quiet };

if (isMainModule(import.meta.url)) {
  main().catch((err) => {
    console.error('Worker stopped:', err instanceof Error ? err.message : err);
    process.exit(1);
  });
}
