import { describe, expect, it } from 'vitest';
import { canAnswerOffer, canDecide, canMoveToQueue, canRemove, canTransition, canWithdraw, PARENT_CASE_STATUSES } from './parentCase';

describe('parent case rules', () => {
  it('decides a new application either way, and admits a queued one only', () => {
    expect(canDecide('submitted', 'admit').ok).toBe(true);
    expect(canDecide('submitted', 'queue').ok).toBe(true);
    expect(canDecide('queued', 'admit').ok).toBe(true);
    expect(canDecide('queued', 'queue')).toEqual({ ok: false, code: 'not-decidable' });
    for (const s of ['admitted', 'offered', 'withdrawn', 'completed', 'notCompleted', 'closed'] as const) {
      expect(canDecide(s, 'admit')).toEqual({ ok: false, code: 'not-decidable' });
    }
  });

  it('lets the parent withdraw while the case runs, never after it closed', () => {
    for (const s of PARENT_CASE_STATUSES) {
      expect(canWithdraw(s).ok).toBe(['submitted', 'admitted', 'queued', 'offered'].includes(s));
    }
  });

  it('lets a leader remove only participants holding, offered or waiting for a seat', () => {
    expect(PARENT_CASE_STATUSES.filter((s) => canRemove(s).ok)).toEqual(['admitted', 'queued', 'offered']);
  });

  it('lets a supervisor requeue waiting, offered and admitted cases', () => {
    expect(PARENT_CASE_STATUSES.filter((s) => canMoveToQueue(s).ok)).toEqual(['submitted', 'admitted', 'offered']);
  });

  it('takes an offer answer only for a pending offer before its deadline', () => {
    const offer = { expiresAt: '2026-12-10T12:00:00.000Z' };
    const before = Date.parse('2026-12-10T11:59:00Z');
    expect(canAnswerOffer({ status: 'offered', offer }, before).ok).toBe(true);
    expect(canAnswerOffer({ status: 'offered', offer }, Date.parse(offer.expiresAt))).toEqual({ ok: false, code: 'offer-expired' });
    expect(canAnswerOffer({ status: 'queued', offer: null }, before)).toEqual({ ok: false, code: 'no-offer' });
  });

  it('allows each guarded step as a transition of the life cycle', () => {
    for (const s of PARENT_CASE_STATUSES) {
      if (canDecide(s, 'admit').ok) expect(canTransition(s, 'admitted')).toBe(true);
      if (canDecide(s, 'queue').ok) expect(canTransition(s, 'queued')).toBe(true);
      if (canWithdraw(s).ok) expect(canTransition(s, 'withdrawn')).toBe(true);
      if (canMoveToQueue(s).ok && s !== 'submitted') expect(canTransition(s, 'queued')).toBe(true);
    }
  });
});
