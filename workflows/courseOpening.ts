// A course opens (R2.5): its seats are offered to the district's queue in queue order. Started by
// the staff action that opens the course, with an id per opening so a double click is one run.
import { proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../activities';
import { passOnSeats } from './seatOffers';

const { loadCaseTimings } = proxyActivities<Activities>({ startToCloseTimeout: '30 seconds' });

export async function courseOpening({ courseId }: { courseId: string }): Promise<void> {
  const { offerTtlMs } = await loadCaseTimings();
  await passOnSeats(courseId, offerTtlMs);
}
