// The ZIP writer, read back by an independent reader (fflate) and checked byte by byte where the
// format is fixed.
import { unzipSync } from 'fflate';
import { crc32 } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { buildZip, dosDateTime } from './zip';

const at = new Date('2026-03-04T05:06:08Z');

describe('buildZip', () => {
  const text = Buffer.from('Ärende KOM-2026-000001 – händelser\n'.repeat(50), 'utf8');
  const random = Buffer.from(Array.from({ length: 64 }, (_, i) => (i * 73 + 11) % 256));
  const zip = buildZip([
    { name: 'paket/', modified: at },
    { name: 'paket/METS.xml', data: Buffer.from('<mets/>'), modified: at },
    { name: 'paket/data/ärende.txt', data: text, modified: at },
    { name: 'paket/data/bytes.bin', data: random, modified: at },
    { name: 'paket/tom.txt', data: new Uint8Array(), modified: at },
  ]);

  it('unzips with an independent reader to the same names and bytes, UTF-8 names intact', () => {
    const files = unzipSync(new Uint8Array(zip));
    expect(Object.keys(files)).toEqual(['paket/', 'paket/METS.xml', 'paket/data/ärende.txt', 'paket/data/bytes.bin', 'paket/tom.txt']);
    expect(Buffer.from(files['paket/data/ärende.txt']).equals(text)).toBe(true);
    expect(Buffer.from(files['paket/data/bytes.bin']).equals(random)).toBe(true);
    expect(new TextDecoder().decode(files['paket/METS.xml'])).toBe('<mets/>');
    expect(files['paket/tom.txt']).toHaveLength(0);
  });

  it('deflates what shrinks and stores what does not, with the CRC-32 and the UTF-8 flag in each header', () => {
    const headers = localHeaders(zip);
    const byName = Object.fromEntries(headers.map((h) => [h.name, h]));
    expect(byName['paket/data/ärende.txt'].method).toBe(8);
    expect(byName['paket/data/ärende.txt'].compressed).toBeLessThan(text.length);
    expect(byName['paket/data/bytes.bin'].method).toBe(0);
    expect(byName['paket/data/ärende.txt'].crc).toBe(crc32(text) >>> 0);
    for (const h of headers) expect(h.flags & 0x0800).toBe(0x0800);
  });

  it('ends with a directory record that counts every entry and points at the central directory', () => {
    const end = zip.subarray(zip.length - 22);
    expect(end.readUInt32LE(0)).toBe(0x06054b50);
    expect(end.readUInt16LE(10)).toBe(5);
    const dirOffset = end.readUInt32LE(16);
    expect(zip.readUInt32LE(dirOffset)).toBe(0x02014b50);
    expect(dirOffset + end.readUInt32LE(12)).toBe(zip.length - 22);
  });

  it('is the same bytes for the same input (the checksum of a package is reproducible)', () => {
    const again = buildZip([{ name: 'a.txt', data: text, modified: at }]);
    expect(again.equals(buildZip([{ name: 'a.txt', data: text, modified: at }]))).toBe(true);
  });

  it('refuses unsafe or duplicate names', () => {
    expect(() => buildZip([{ name: '../evil', data: Buffer.from('x'), modified: at }])).toThrow(/bad entry name/);
    expect(() => buildZip([{ name: '/abs', data: Buffer.from('x'), modified: at }])).toThrow(/bad entry name/);
    expect(() => buildZip([{ name: 'a//b', data: Buffer.from('x'), modified: at }])).toThrow(/bad entry name/);
    expect(() => buildZip([{ name: 'a', modified: at }, { name: 'a', modified: at }])).toThrow(/duplicate/);
  });

  it('writes DOS date and time fields (UTC, two-second steps)', () => {
    const { date, time } = dosDateTime(at);
    expect(date >> 9).toBe(2026 - 1980);
    expect((date >> 5) & 0xf).toBe(3);
    expect(date & 0x1f).toBe(4);
    expect(time >> 11).toBe(5);
    expect((time >> 5) & 0x3f).toBe(6);
    expect((time & 0x1f) * 2).toBe(8);
  });
});

function localHeaders(zip: Buffer) {
  const out: { name: string; method: number; flags: number; crc: number; compressed: number }[] = [];
  let at = 0;
  while (zip.readUInt32LE(at) === 0x04034b50) {
    const nameLength = zip.readUInt16LE(at + 26);
    const extra = zip.readUInt16LE(at + 28);
    const compressed = zip.readUInt32LE(at + 18);
    out.push({
      name: zip.subarray(at + 30, at + 30 + nameLength).toString('utf8'),
      flags: zip.readUInt16LE(at + 6),
      method: zip.readUInt16LE(at + 8),
      crc: zip.readUInt32LE(at + 14),
      compressed,
    });
    at += 30 + nameLength + extra + compressed;
  }
  return out;
}
