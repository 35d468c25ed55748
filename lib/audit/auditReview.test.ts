// The review's filter and how stored reasons read back (no database).
import { describe, expect, it } from 'vitest';
import { auditQueryString, describeReason, parseAuditReviewQuery } from './auditReview';
import { OWN_CASE_REASON, reasonText } from './auditTrail';

describe('review filter', () => {
  it('takes an empty query as "everything, page 1"', () => {
    const parsed = parseAuditReviewQuery({ who: '', action: '', caseNumber: ' ', from: '', to: '' });
    expect(parsed).toEqual({ ok: true, filter: { page: 1 } });
  });

  it('normalises the case number and keeps the filter in links', () => {
    const parsed = parseAuditReviewQuery({ who: ' Sara ', action: 'personSearch', caseNumber: 'kom-2026-000123', from: '2026-03-01', to: '2026-03-31', page: '2' });
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(parsed.filter).toEqual({ who: 'Sara', action: 'personSearch', caseNumber: 'KOM-2026-000123', from: '2026-03-01', to: '2026-03-31', page: 2 });
    expect(auditQueryString(parsed.filter)).toBe('who=Sara&action=personSearch&caseNumber=KOM-2026-000123&from=2026-03-01&to=2026-03-31');
    expect(auditQueryString(parsed.filter, 3)).toContain('&page=3');
  });

  it('names every bad field with a translation key and keeps what was typed', () => {
    const parsed = parseAuditReviewQuery({ who: 'x'.repeat(101), action: 'deleted', caseNumber: '123', from: '2026-02-30', to: 'igår', page: '-1' });
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.errors).toEqual({
      who: 'audit.review.errors.who',
      action: 'audit.review.errors.action',
      caseNumber: 'audit.review.errors.caseNumber',
      from: 'audit.review.errors.date',
      to: 'audit.review.errors.date',
      page: 'audit.review.errors.page',
    });
    expect(parsed.values.caseNumber).toBe('123');
  });

  it('refuses a range that ends before it starts', () => {
    const parsed = parseAuditReviewQuery({ from: '2026-03-02', to: '2026-03-01' });
    expect(parsed.ok ? null : parsed.errors).toEqual({ to: 'audit.review.errors.range' });
  });
});

describe('describeReason', () => {
  it('reads back a stated reason, the own-case reason and anything else', () => {
    expect(describeReason(reasonText({ purpose: 'citizenRequest', detail: 'Begäran: utdrag' }))).toEqual({ kind: 'stated', purpose: 'citizenRequest', detail: 'Begäran: utdrag' });
    expect(describeReason(OWN_CASE_REASON)).toEqual({ kind: 'own' });
    expect(describeReason('handling: something else')).toEqual({ kind: 'text', text: 'handling: something else' });
    expect(describeReason('no purpose at all')).toEqual({ kind: 'text', text: 'no purpose at all' });
  });
});
