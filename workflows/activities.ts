// The one activity proxy every workflow uses: side effects are short database writes and
// provider calls, retried with backoff until they succeed (each is idempotent by its key).
import { proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../activities';

export const acts = proxyActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});
