// A small ZIP writer (PKWARE APPNOTE 6.3) on node:zlib: local headers, raw-deflate data, the
// central directory and its end record; UTF-8 names (flag bit 11), CRC-32 from zlib. No zip64, no
// encryption, no streaming: the archive packages are small and built in memory. A file deflate
// does not shrink is stored as it is.
import { crc32, deflateRawSync } from 'node:zlib';

export interface ZipEntry {
  /** Path inside the archive, '/' separated, no leading '/'; a trailing '/' makes a folder entry. */
  name: string;
  data?: Uint8Array;
  /** Modification time written to the entry (DOS time, local fields, 2-second resolution). */
  modified: Date;
}

const UTF8_NAMES = 1 << 11;
const STORE = 0;
const DEFLATE = 8;
/** 2.0: deflate and folders. */
const VERSION = 20;
const MAX_32 = 0xffff_ffff;

/** DOS date and time of an instant, in UTC (the package says its times are UTC; 1980 is the floor). */
export function dosDateTime(at: Date): { date: number; time: number } {
  const year = Math.min(Math.max(at.getUTCFullYear(), 1980), 2107);
  const date = ((year - 1980) << 9) | ((at.getUTCMonth() + 1) << 5) | at.getUTCDate();
  const time = (at.getUTCHours() << 11) | (at.getUTCMinutes() << 5) | Math.floor(at.getUTCSeconds() / 2);
  return { date, time };
}

function checkName(name: string): void {
  if (!name || name.startsWith('/') || name.includes('\\') || name.split('/').some((part, i, all) => part === '..' || (part === '' && i < all.length - 1))) {
    throw new Error(`zip: bad entry name "${name}"`);
  }
}

/** The whole archive as one buffer. Entry order is kept; names must be unique. */
export function buildZip(entries: ZipEntry[]): Buffer {
  if (entries.length > 0xffff) throw new Error('zip: too many entries (no zip64)');
  const seen = new Set<string>();
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const entry of entries) {
    checkName(entry.name);
    if (seen.has(entry.name)) throw new Error(`zip: duplicate entry "${entry.name}"`);
    seen.add(entry.name);
    const isFolder = entry.name.endsWith('/');
    const raw = isFolder ? Buffer.alloc(0) : Buffer.from(entry.data ?? new Uint8Array());
    const deflated = raw.length > 0 ? deflateRawSync(raw, { level: 9 }) : null;
    const method = deflated && deflated.length < raw.length ? DEFLATE : STORE;
    const body = method === DEFLATE ? deflated! : raw;
    const crc = raw.length > 0 ? crc32(raw) >>> 0 : 0;
    if (raw.length > MAX_32 || offset > MAX_32) throw new Error('zip: too large (no zip64)');
    const name = Buffer.from(entry.name, 'utf8');
    const { date, time } = dosDateTime(entry.modified);

    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(VERSION, 4);
    local.writeUInt16LE(UTF8_NAMES, 6);
    local.writeUInt16LE(method, 8);
    local.writeUInt16LE(time, 10);
    local.writeUInt16LE(date, 12);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(body.length, 18);
    local.writeUInt32LE(raw.length, 22);
    local.writeUInt16LE(name.length, 26);
    local.writeUInt16LE(0, 28);

    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    // Made by: UNIX (3) so the attributes below mean Unix modes; version 2.0.
    central.writeUInt16LE((3 << 8) | VERSION, 4);
    central.writeUInt16LE(VERSION, 6);
    central.writeUInt16LE(UTF8_NAMES, 8);
    central.writeUInt16LE(method, 10);
    central.writeUInt16LE(time, 12);
    central.writeUInt16LE(date, 14);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(body.length, 20);
    central.writeUInt32LE(raw.length, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt16LE(0, 30); // extra
    central.writeUInt16LE(0, 32); // comment
    central.writeUInt16LE(0, 34); // disk
    central.writeUInt16LE(0, 36); // internal attributes
    // External attributes: rw-r--r-- files, rwxr-xr-x folders (+ the MS-DOS folder bit).
    central.writeUInt32LE(isFolder ? ((0o40755 << 16) | 0x10) >>> 0 : (0o100644 << 16) >>> 0, 38);
    central.writeUInt32LE(offset, 42);

    locals.push(local, name, body);
    centrals.push(central, name);
    offset += local.length + name.length + body.length;
  }
  const directory = Buffer.concat(centrals);
  if (offset > MAX_32) throw new Error('zip: too large (no zip64)');
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(0, 4);
  end.writeUInt16LE(0, 6);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  end.writeUInt16LE(0, 20);
  return Buffer.concat([...locals, directory, end]);
}
