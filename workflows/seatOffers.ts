// Passing free seats to the queue (R2.5, R2.9), shared by the case that frees a seat and by a
// course that opens. Workflow code: the offers are made by an activity, the signals from here.
import { getExternalWorkflowHandle, uuid4, workflowInfo } from '@temporalio/workflow';
import { acts } from './activities';
import { seatOfferedSignal } from './parentApplication.messages';


/** Offers the course's free seats to the first in its queue; a case that is gone passes its offer on. */
export async function passOnSeats(courseId: string, offerTtlMs: number): Promise<void> {
  const wfId = workflowInfo().workflowId;
  for (let round = 0; round < 10; round++) {
    const offers = await acts.offerFreeSeats({ courseId, offerTtlMs, batchKey: `${wfId}:seats-${uuid4()}` });
    let unreachable = false;
    for (const { workflowId, ...offer } of offers) {
      try {
        await getExternalWorkflowHandle(workflowId).signal(seatOfferedSignal, offer);
      } catch {
        await acts.expireSeatOffer({ offerId: offer.offerId, dedupeKey: `${wfId}:release-${offer.offerId}` });
        unreachable = true;
      }
    }
    if (!unreachable) return;
  }
}
