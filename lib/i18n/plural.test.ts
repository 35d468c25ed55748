// Counts in words (issue 16): t.plural picks the language's Intl.PluralRules category, so one is
// "1 kurs" and not "1 kurser"; a category a language has no text for falls back to "other".
import { describe, expect, it } from 'vitest';
import { translator } from './index';

describe('t.plural', () => {
  it('says one course and two courses in Swedish and English', () => {
    expect(translator('sv').plural('courses.count', 1)).toBe('1 kurs hittades.');
    expect(translator('sv').plural('courses.count', 2)).toBe('2 kurser hittades.');
    expect(translator('sv').plural('courses.count', 0)).toBe('0 kurser hittades.');
    expect(translator('en').plural('courses.count', 1)).toBe('1 course found.');
    expect(translator('en').plural('materials.count', 3)).toBe('3 files');
    expect(translator('lattlast').plural('courses.count', 1)).toBe('Vi hittade 1 kurs.');
  });

  it('passes the count under the name the text uses, with the other parameters', () => {
    expect(translator('sv').plural('inspector.list.count', 1, { total: 1 })).toBe('1 ärende matchar filtret.');
    expect(translator('sv').plural('guide.count', 1, { behind: 0 })).toBe('1 förälder, varav 0 ligger efter.');
    expect(translator('en').plural('workingList.count', 5, { total: 5, first: 1, last: 5 })).toBe('5 applications, showing 1–5');
  });

  it("falls back to 'other' for a category the language has no text for (Arabic's 'two', 'few')", () => {
    const ar = translator('ar');
    expect(new Intl.PluralRules('ar').select(3)).toBe('few');
    expect(ar.plural('courses.count', 3)).toBe(ar('courses.count.other', { count: 3 }));
    expect(ar.plural('courses.count', 1)).toBe(ar('courses.count.one', { count: 1 }));
  });
});
