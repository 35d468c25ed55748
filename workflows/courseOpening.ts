// A course opens (R2.5): its seats are offered to the district's queue in queue order. Started by
// the staff action that opens the course, with an id per opening so a double click is one run.
import { acts } from './activities';
import { passOnSeats } from './seatOffers';

export async function courseOpening({ courseId }: { courseId: string }): Promise<void> {
  const { offerTtlMs } = await acts.loadCaseTimings();
  await passOnSeats(courseId, offerTtlMs);
}
