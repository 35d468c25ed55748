import { describe, expect, it } from 'vitest';
import { parsePersonnummer } from './personnummer';

const today = new Date('2026-12-07T12:00:00Z');

describe('parsePersonnummer', () => {
  it('takes 12 digits with or without a separator', () => {
    for (const raw of ['19811218-9876', '198112189876', '19811218 9876', ' 19811218-9876 ']) {
      expect(parsePersonnummer(raw, today)).toEqual({ ok: true, value: '19811218-9876' });
    }
  });

  it('takes 10 digits, in the century that makes the person at most 99, and "+" for 100 or older', () => {
    expect(parsePersonnummer('811218-9876', today)).toEqual({ ok: true, value: '19811218-9876' });
    expect(parsePersonnummer('8112189876', today)).toEqual({ ok: true, value: '19811218-9876' });
    expect(parsePersonnummer('900101-0017', today)).toEqual({ ok: true, value: '19900101-0017' });
    expect(parsePersonnummer('201005-2385', today)).toEqual({ ok: true, value: '20201005-2385' });
    expect(parsePersonnummer('201005+2385', today)).toEqual({ ok: true, value: '19201005-2385' });
  });

  it('refuses other lengths as a format error, and names an impossible date or a wrong check digit', () => {
    for (const raw of ['1981121-9876', '19811218-987', '19811218-98765', 'ÅÅÅÅMMDD-NNNN', '']) {
      expect(parsePersonnummer(raw, today)).toEqual({ ok: false, error: 'format' });
    }
    expect(parsePersonnummer('19811332-9876', today)).toEqual({ ok: false, error: 'date' });
    expect(parsePersonnummer('20301218-9876', today)).toEqual({ ok: false, error: 'date' });
    expect(parsePersonnummer('19811218-9875', today)).toEqual({ ok: false, error: 'checksum' });
  });

  it('takes a samordningsnummer (day + 60)', () => {
    expect(parsePersonnummer('19811278-9873', today)).toEqual({ ok: true, value: '19811278-9873' });
  });
});
