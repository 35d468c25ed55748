import { describe, expect, it } from 'vitest';
import { canInstructorDecide, canManagerDecide, canMoveToQueue, canTransition, canWithdraw, ENROLMENT_STATUSES, isParticipant } from './enrolmentCase';

describe('enrolment rules', () => {
  it('takes the manager answer only while consent is awaited', () => {
    expect(ENROLMENT_STATUSES.filter((s) => canManagerDecide(s).ok)).toEqual(['awaitingConsent']);
  });

  it('lets the instructor decide on consented applicants and admit queued ones', () => {
    expect(canInstructorDecide('consented', 'queue').ok).toBe(true);
    expect(canInstructorDecide('queued', 'admit').ok).toBe(true);
    expect(canInstructorDecide('queued', 'queue').ok).toBe(false);
    expect(canInstructorDecide('awaitingConsent', 'admit')).toEqual({ ok: false, code: 'not-decidable' });
  });

  it('lets the professional withdraw until the certificate, and a supervisor requeue', () => {
    expect(canWithdraw('admitted', false).ok).toBe(true);
    expect(canWithdraw('admitted', true)).toEqual({ ok: false, code: 'not-withdrawable' });
    expect(canWithdraw('completed', false).ok).toBe(false);
    expect(canMoveToQueue('admitted', false).ok).toBe(true);
    expect(canMoveToQueue('awaitingConsent', false).ok).toBe(false);
  });

  it('treats admitted and completed participants as participants', () => {
    expect(ENROLMENT_STATUSES.filter((s) => isParticipant(s).ok)).toEqual(['admitted', 'completed']);
  });

  it('allows each guarded step as a transition', () => {
    for (const s of ENROLMENT_STATUSES) {
      if (canManagerDecide(s).ok) expect(canTransition(s, 'consented')).toBe(true);
      if (canInstructorDecide(s, 'admit').ok) expect(canTransition(s, 'admitted')).toBe(true);
      if (canWithdraw(s, false).ok) expect(canTransition(s, 'withdrawn')).toBe(true);
      if (canMoveToQueue(s, false).ok) expect(canTransition(s, 'queued')).toBe(true);
    }
  });
});
