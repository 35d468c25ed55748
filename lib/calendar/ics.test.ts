// iCalendar text as RFC 5545 wants it: CRLF, folding at 75 octets, escaped TEXT, UTC times.
import { describe, expect, it } from 'vitest';
import { buildCalendar, contentLines, escapeText, foldLine, utcStamp } from './ics';

describe('iCalendar text', () => {
  const event = {
    uid: 'session-1@komet.example',
    start: new Date('2025-09-16T15:30:00Z'),
    end: new Date('2025-09-16T17:30:00Z'),
    summary: 'Träff 1 av 10 – Stockholms stad',
    location: 'Medborgarhuset, sal 2; Götgatan 1, Stockholm',
    description: 'Läs mer: https://example.org/mina-arenden\nVälkommen!',
  };
  const ics = buildCalendar({ name: 'Stockholms stad – träffar', events: [event], now: new Date('2025-09-01T08:00:00Z') });

  it('ends every line with CRLF and never has a bare LF', () => {
    expect(ics.endsWith('\r\n')).toBe(true);
    expect(ics.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
  });

  it('keeps every physical line within 75 octets', () => {
    for (const line of ics.split('\r\n')) expect(Buffer.byteLength(line)).toBeLessThanOrEqual(75);
  });

  it('nests one VEVENT in the VCALENDAR with the required properties', () => {
    const lines = contentLines(ics);
    expect(lines[0]).toBe('BEGIN:VCALENDAR');
    expect(lines.at(-1)).toBe('END:VCALENDAR');
    expect(lines).toEqual(expect.arrayContaining(['VERSION:2.0', 'BEGIN:VEVENT', 'END:VEVENT']));
    expect(lines.some((l) => l.startsWith('PRODID:'))).toBe(true);
    const vevent = lines.slice(lines.indexOf('BEGIN:VEVENT'), lines.indexOf('END:VEVENT') + 1);
    expect(vevent).toEqual(
      expect.arrayContaining([
        'UID:session-1@komet.example',
        'DTSTAMP:20250901T080000Z',
        'DTSTART:20250916T153000Z',
        'DTEND:20250916T173000Z',
        'SUMMARY:Träff 1 av 10 – Stockholms stad',
        'LOCATION:Medborgarhuset\\, sal 2\\; Götgatan 1\\, Stockholm',
        'DESCRIPTION:Läs mer: https://example.org/mina-arenden\\nVälkommen!',
      ]),
    );
  });

  it('escapes backslash, semicolon, comma and line breaks in TEXT', () => {
    expect(escapeText('a\\b;c,d\r\ne\nf')).toBe('a\\\\b\\;c\\,d\\ne\\nf');
  });

  it('folds long lines at 75 octets without splitting a UTF-8 character', () => {
    const line = `DESCRIPTION:${'åäö€'.repeat(40)}`;
    const folded = foldLine(line);
    const physical = folded.split('\r\n');
    expect(physical.length).toBeGreaterThan(2);
    expect(physical.slice(1).every((l) => l.startsWith(' '))).toBe(true);
    for (const l of physical) {
      expect(Buffer.byteLength(l)).toBeLessThanOrEqual(75);
      expect(l).not.toContain('\uFFFD');
    }
    expect(folded.replace(/\r\n /g, '')).toBe(line);
  });

  it('leaves a line of exactly 75 octets alone', () => {
    const line = `X:${'a'.repeat(73)}`;
    expect(foldLine(line)).toBe(line);
    expect(foldLine(`${line}b`)).toBe(`${line}\r\n b`);
  });

  it('writes instants in UTC form', () => {
    expect(utcStamp(new Date('2025-03-30T01:05:09.123Z'))).toBe('20250330T010509Z');
  });
});
