// The Temporal Schedule that runs the retention workflow once a day (R9.3, R11.5). Created at
// worker start and by the embedded launcher; creating it again is harmless, and an existing
// schedule that points at another task queue is brought up to date.
import { ScheduleAlreadyRunning, ScheduleOverlapPolicy, type Client, type ScheduleOptions } from '@temporalio/client';
import { TIME_ZONE } from '../time';
import { ARCHIVE_RETENTION, ARCHIVE_RETENTION_SCHEDULE_ID, ARCHIVE_RETENTION_WORKFLOW_ID } from '../../workflows/archiveRetention.messages';

export function retentionScheduleOptions(taskQueue: string): ScheduleOptions {
  return {
    scheduleId: ARCHIVE_RETENTION_SCHEDULE_ID,
    // Every night at 02:30 Stockholm time, when nobody works in the diarium.
    spec: { calendars: [{ hour: 2, minute: 30, comment: 'nightly retention run' }], timezone: TIME_ZONE },
    action: { type: 'startWorkflow', workflowType: ARCHIVE_RETENTION, workflowId: ARCHIVE_RETENTION_WORKFLOW_ID, taskQueue, args: [{}] },
    // A run still busy when the next is due: the next one is skipped (it would find the same cases).
    policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '1 day' },
  };
}

/** Creates the schedule unless it exists; returns what it did. */
export async function ensureRetentionSchedule(client: Client, taskQueue: string): Promise<'created' | 'exists' | 'updated'> {
  try {
    await client.schedule.create(retentionScheduleOptions(taskQueue));
    return 'created';
  } catch (err) {
    if (!(err instanceof ScheduleAlreadyRunning)) throw err;
  }
  const handle = client.schedule.getHandle(ARCHIVE_RETENTION_SCHEDULE_ID);
  const current = await handle.describe();
  if (current.action.taskQueue === taskQueue && current.action.workflowType === ARCHIVE_RETENTION) return 'exists';
  await handle.update((previous) => ({ ...previous, action: retentionScheduleOptions(taskQueue).action }));
  return 'updated';
}

/** At process start: never stops the worker or the launcher, says only what failed. */
export async function ensureRetentionScheduleAtStart(client: Client, taskQueue: string): Promise<void> {
  try {
    await ensureRetentionSchedule(client, taskQueue);
  } catch (err) {
    console.error(`[archive] retention schedule not created: ${err instanceof Error ? `${err.name}: ${err.message}` : String(err)}`);
  }
}
