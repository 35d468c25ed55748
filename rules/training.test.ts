import { describe, expect, it } from 'vitest';
import { attendancePercent, canApprove, canIssueCertificate, certificateValidity, type TrainingFacts } from './training';

const sessions = [
  { id: 's1', startsAt: new Date('2026-12-29T08:00Z'), endsAt: new Date('2026-12-29T15:00Z') },
  { id: 's2', startsAt: new Date('2027-01-12T08:00Z'), endsAt: new Date('2027-01-12T15:00Z') },
  { id: 's3', startsAt: new Date('2027-01-19T08:00Z'), endsAt: new Date('2027-01-19T15:00Z') },
];
const allThere = sessions.map((s) => ({ sessionId: s.id, present: true }));
const facts = (over: Partial<TrainingFacts> = {}): TrainingFacts => ({
  sessions,
  attendance: allThere,
  requiredAttendancePercent: 80,
  approvedAt: new Date('2027-01-20T09:00Z'),
  ...over,
});

describe('training completion and the certificate', () => {
  it('refuses a certificate before the training (the 7 December case)', () => {
    const early = facts({ attendance: [{ sessionId: 's1', present: true }], approvedAt: new Date('2026-12-07T10:00Z') });
    expect(canIssueCertificate(early, new Date('2026-12-07T10:05Z'))).toEqual({ ok: false, code: 'training-not-finished' });
    expect(canApprove(early, new Date('2026-12-07T10:00Z'))).toEqual({ ok: false, code: 'training-not-finished' });
  });

  it('needs attendance registered for every session and meeting the requirement', () => {
    const after = new Date('2027-01-21T10:00Z');
    expect(canIssueCertificate(facts({ attendance: allThere.slice(0, 2) }), after)).toEqual({ ok: false, code: 'attendance-not-recorded' });
    const oneAway = allThere.map((a, i) => ({ ...a, present: i !== 0 }));
    expect(attendancePercent(facts({ attendance: oneAway }))).toBe(66);
    expect(canIssueCertificate(facts({ attendance: oneAway }), after)).toEqual({ ok: false, code: 'attendance-too-low' });
    expect(canIssueCertificate(facts({ attendance: oneAway, requiredAttendancePercent: 60 }), after).ok).toBe(true);
  });

  it('needs "Godkänd" set after the last session', () => {
    const after = new Date('2027-01-21T10:00Z');
    expect(canIssueCertificate(facts({ approvedAt: null }), after)).toEqual({ ok: false, code: 'not-approved' });
    expect(canIssueCertificate(facts({ approvedAt: new Date('2027-01-19T10:00Z') }), after)).toEqual({ ok: false, code: 'approved-before-end' });
    expect(canIssueCertificate(facts(), after).ok).toBe(true);
  });

  it('shows a certificate as not valid once "Godkänd" is withdrawn', () => {
    const issuedAt = new Date('2027-01-21T10:00Z');
    expect(certificateValidity(facts(), issuedAt).ok).toBe(true);
    expect(certificateValidity(facts({ approvedAt: null }), issuedAt)).toEqual({ ok: false, code: 'not-approved' });
  });
});
