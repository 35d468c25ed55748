// GET /health: 200 once the database, Temporal and a polling worker are ready; 503 naming the part.
import { Hono } from 'hono';
import type { AppEnv } from '../context';

export type HealthProbe = () => Promise<boolean>;

export function healthRoutes(workerReady?: HealthProbe) {
  return new Hono<AppEnv>().get('/health', async (c) => {
    const { db, temporal, config } = c.get('deps');
    const checks: Record<string, 'ok' | 'failing'> = {};
    checks.database = await db.$queryRaw`SELECT 1`.then(() => 'ok' as const, () => 'failing' as const);
    checks.temporal = await temporal.workflowService
      .getSystemInfo({})
      .then(() => 'ok' as const, () => 'failing' as const);
    const polling = workerReady ?? (() => taskQueueHasPoller(c.get('deps'), config.TEMPORAL_TASK_QUEUE));
    checks.worker = checks.temporal === 'ok' && (await polling().catch(() => false)) ? 'ok' : 'failing';
    const failing = Object.keys(checks).filter((k) => checks[k] !== 'ok');
    return c.json(
      failing.length ? { status: 'unavailable', failing, checks } : { status: 'ok', checks },
      failing.length ? 503 : 200,
    );
  });
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
