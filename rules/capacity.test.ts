import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canAcceptOffer, canAdmit, freeSeats, planBulkAdmission, withinCapacity, type SeatCount } from './capacity';

const seatCount = fc
  .record({ capacity: fc.integer({ min: 0, max: 30 }), admitted: fc.integer({ min: 0, max: 30 }), held: fc.integer({ min: 0, max: 30 }), open: fc.boolean() })
  .filter((c) => withinCapacity(c));

describe('capacity: admitted plus held offers never exceed the capacity', () => {
  it('counts seats held by open offers as taken', () => {
    expect(freeSeats({ capacity: 12, admitted: 3, held: 2, open: true })).toBe(7);
    expect(freeSeats({ capacity: 10, admitted: 9, held: 1, open: true })).toBe(0);
    expect(freeSeats({ capacity: 10, admitted: 0, held: 0, open: false })).toBe(0);
  });

  it('refuses an admission into a seat an offer holds', () => {
    expect(canAdmit({ capacity: 10, admitted: 9, held: 1, open: true })).toEqual({ ok: false, code: 'course-full' });
  });

  it('checks an offer again when it is accepted', () => {
    expect(canAcceptOffer({ capacity: 10, admitted: 9, held: 1, open: true }).ok).toBe(true);
    expect(canAcceptOffer({ capacity: 10, admitted: 10, held: 1, open: true })).toEqual({ ok: false, code: 'course-full' });
    expect(canAcceptOffer({ capacity: 10, admitted: 3, held: 1, open: false }).ok).toBe(false);
  });

  it('admits as many as fit in a bulk decision and queues the rest, in order', () => {
    const plan = planBulkAdmission({ capacity: 10, admitted: 0, held: 0, open: true }, [...'abcdefghijk']);
    expect(plan.admit).toEqual([...'abcdefghij']);
    expect(plan.queue).toEqual(['k']);
  });

  it('keeps the invariant for any admissions, offers and bulk plans (property)', () => {
    fc.assert(
      fc.property(seatCount, fc.array(fc.constantFrom('admit', 'offer', 'accept', 'bulk'), { maxLength: 40 }), (start: SeatCount, steps) => {
        const c = { ...start };
        for (const step of steps) {
          if (step === 'admit' && canAdmit(c).ok) c.admitted += 1;
          if (step === 'offer' && freeSeats(c) > 0) c.held += 1;
          if (step === 'accept' && canAcceptOffer(c).ok) [c.admitted, c.held] = [c.admitted + 1, c.held - 1];
          if (step === 'bulk') c.admitted += planBulkAdmission(c, [1, 2, 3]).admit.length;
          expect(withinCapacity(c)).toBe(true);
        }
      }),
    );
  });
});
