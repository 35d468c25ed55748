// Terms in Stockholm time, the query string's filter, and the median read off day counts.
import { describe, expect, it } from 'vitest';
import { parseStatisticsQuery } from './filters';
import { meanOfBins, medianOfBins } from './participation';
import { parseTermCode, termCode, termLabel, termOf, termOfDay, termRange, termsBetween } from './terms';

describe('terms', () => {
  it('counts January–June as VT and July–December as HT, in Stockholm time', () => {
    expect(termLabel(termOf(new Date('2026-01-01T00:30:00+01:00')))).toBe('VT 2026');
    // 22:30 UTC on 30 June is 00:30 on 1 July in Stockholm (summer time).
    expect(termLabel(termOf(new Date('2026-06-30T22:30:00Z')))).toBe('HT 2026');
    expect(termLabel(termOf(new Date('2026-06-30T21:30:00Z')))).toBe('VT 2026');
    // 23:30 UTC on 31 December is already the new year in Stockholm.
    expect(termLabel(termOf(new Date('2025-12-31T23:30:00Z')))).toBe('VT 2026');
    expect(termLabel(termOfDay('2025-07-01'))).toBe('HT 2025');
  });

  it('reads and writes the query-string code', () => {
    const ht = parseTermCode('HT2025')!;
    expect(termCode(ht)).toBe('HT2025');
    expect(termLabel(ht)).toBe('HT 2025');
    expect(parseTermCode('ST2025')).toBeNull();
    expect(parseTermCode('VT1899')).toBeNull();
    expect(termsBetween(parseTermCode('HT2025')!, parseTermCode('HT2026')!).map(termLabel)).toEqual(['HT 2026', 'VT 2026', 'HT 2025']);
  });

  it('spans a term from midnight to midnight in Stockholm', () => {
    const { from, to } = termRange(parseTermCode('HT2025')!);
    expect(from.toISOString()).toBe('2025-06-30T22:00:00.000Z');
    expect(to.toISOString()).toBe('2025-12-31T23:00:00.000Z');
  });
});

describe('parseStatisticsQuery', () => {
  it('takes empty fields as no filter and breaks down by district by default', () => {
    expect(parseStatisticsQuery({ district: '', term: '', kind: '' })).toEqual({ ok: true, filter: { by: 'district' } });
  });

  it('accepts a term written with a space or in lower case', () => {
    const parsed = parseStatisticsQuery({ term: 'vt 2026', kind: 'webCourse', by: 'term' });
    expect(parsed).toEqual({ ok: true, filter: { term: parseTermCode('VT2026'), kind: 'webCourse', by: 'term' } });
  });

  it('names each bad field with a translation key', () => {
    const parsed = parseStatisticsQuery({ district: 'Söder<script>', term: 'HT20', kind: 'training', by: 'person' });
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) {
      expect(parsed.errors).toEqual({
        district: 'statistics.errors.district',
        term: 'statistics.errors.term',
        kind: 'statistics.errors.kind',
        by: 'statistics.errors.by',
      });
    }
  });
});

describe('medianOfBins', () => {
  it('is the middle value, or the mean of the middle two', () => {
    // 3, 6, 10, 10, 11 → 10
    expect(medianOfBins([{ value: 10, count: 2 }, { value: 3, count: 1 }, { value: 11, count: 1 }, { value: 6, count: 1 }])).toBe(10);
    // 6, 11, 21, 31 → 16
    expect(medianOfBins([{ value: 31, count: 1 }, { value: 21, count: 1 }, { value: 11, count: 1 }, { value: 6, count: 1 }])).toBe(16);
    expect(medianOfBins([{ value: 4, count: 0 }])).toBeNull();
    expect(meanOfBins([{ value: 10, count: 2 }, { value: 4, count: 1 }])).toBe(8);
    expect(meanOfBins([])).toBeNull();
  });
});
