// GET /health: 200 once the database, Temporal and a polling worker are ready; 503 naming the part.
// Each probe has a short deadline, so /health answers fast while a part is down. Under the
// embedded launcher the supervisor's view comes first: a part it is restarting is named at once.
import { Hono } from 'hono';
import type { AppEnv } from '../context';
import { withinDeadline } from '../../lib/temporal';
import type { SupervisedStates } from './supervised';

export type HealthProbe = () => Promise<boolean>;

/** How long one probe may take before its part counts as failing. */
const PROBE_MS = 2_000;

export function healthRoutes(workerReady?: HealthProbe, supervised?: SupervisedStates) {
  return new Hono<AppEnv>().get('/health', async (c) => {
    const { db, temporal, config } = c.get('deps');
    const known = supervised?.() ?? null;
    const downByLauncher = (part: 'database' | 'temporal' | 'worker') => !!known && known[part] !== undefined && known[part] !== 'up';
    const [database, temporalOk] = await Promise.all([
      downByLauncher('database') ? false : within(PROBE_MS, db.$queryRaw`SELECT 1`),
      downByLauncher('temporal') ? false : within(PROBE_MS, withinDeadline(temporal, PROBE_MS, () => temporal.workflowService.getSystemInfo({}))),
    ]);
    const polling =
      workerReady ?? (known?.worker !== undefined ? async () => known.worker === 'up' : () => taskQueueHasPoller(c.get('deps'), config.TEMPORAL_TASK_QUEUE));
    const worker = !downByLauncher('worker') && temporalOk && (await within(PROBE_MS, polling().then((up) => up || Promise.reject(new Error('no poller')))));
    const checks: Record<string, 'ok' | 'failing'> = {
      database: database ? 'ok' : 'failing',
      temporal: temporalOk ? 'ok' : 'failing',
      worker: worker ? 'ok' : 'failing',
    };
    const failing = Object.keys(checks).filter((k) => checks[k] !== 'ok');
    // What the launcher is starting again right now (embedded mode): the page says "restarting".
    const restarting = known ? Object.keys(known).filter((k) => known[k as keyof typeof known] !== 'up') : [];
    return c.json(
      failing.length ? { status: 'unavailable', failing, checks, ...(restarting.length ? { restarting } : {}) } : { status: 'ok', checks },
      failing.length ? 503 : 200,
    );
  });
}

/** True if the promise settles well within the time; false if it fails or takes longer. */
function within(ms: number, probe: Promise<unknown>): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    probe.then(
      () => true,
      () => false,
    ),
    new Promise<boolean>((ok) => (timer = setTimeout(() => ok(false), ms))),
  ]).finally(() => clearTimeout(timer));
}

/** Any worker (in any process) that polled the workflow task queue recently. */
async function taskQueueHasPoller(deps: AppEnv['Variables']['deps'], taskQueue: string): Promise<boolean> {
  const res = await deps.temporal.workflowService.describeTaskQueue({
    namespace: deps.config.TEMPORAL_NAMESPACE,
    taskQueue: { name: taskQueue },
    taskQueueType: 1, // TASK_QUEUE_TYPE_WORKFLOW
  });
  return (res.pollers?.length ?? 0) > 0;
}
