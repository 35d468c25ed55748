// The activity proxies every workflow uses: side effects are short database writes and provider
// calls, retried with backoff until they succeed (each is idempotent by its key). One set of
// options; notices as local activities (below), everything else as activities.
import { patched, proxyActivities, proxyLocalActivities, type ActivityOptions } from '@temporalio/workflow';
import type { Activities } from '../activities';

const OPTIONS = {
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
} satisfies ActivityOptions;

export const acts = proxyActivities<Activities>(OPTIONS);

/**
 * Notices (the e-mails and text messages of a case) run as local activities, inside the workflow
 * task that asks for them. A notice is short and safe to repeat (lib/notify.ts logs it first under
 * its key and sends it once), and as a task of its own each one cost Temporal a schedule, a
 * dispatch and a completion: on a new case, its confirmation was a third of the server's work, and
 * submissions waited behind it (bench: submit p99 160–190 → 110–120 ms). A case that began before
 * this sends its notices as before until it passes the patch (Temporal's patching).
 */
export const NOTICES_AS_LOCAL_ACTIVITIES_PATCH = 'notices-as-local-activities';
const localActs = proxyLocalActivities<Activities>(OPTIONS);

export function noticeActivities(): Pick<Activities, 'sendCaseNotice' | 'sendEnrolmentNotice'> {
  return patched(NOTICES_AS_LOCAL_ACTIVITIES_PATCH) ? localActs : acts;
}
