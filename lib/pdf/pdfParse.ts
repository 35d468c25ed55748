// A small PDF reader for checking what we write: the objects (dictionaries, arrays, strings,
// streams, Flate decoded) of a file with a classic xref table, its trailer, and the operators of
// content streams. Not a general parser (no object streams, no repair, no encryption). For tests
// and checks only.
import { inflateSync } from 'node:zlib';

export class PdfName {
  constructor(readonly name: string) {}
}
export class PdfRef {
  constructor(
    readonly num: number,
    readonly gen: number,
  ) {}
}
export class PdfString {
  constructor(readonly bytes: Buffer) {}
  /** Text strings: UTF-16BE with a byte order mark, else PDFDocEncoding (Latin-1 for our purposes). */
  text(): string {
    const b = this.bytes;
    if (b.length >= 2 && b[0] === 0xfe && b[1] === 0xff) {
      const swapped = Buffer.from(b.subarray(2));
      swapped.swap16();
      return swapped.toString('utf16le');
    }
    return b.toString('latin1');
  }
}
export class PdfDict extends Map<string, PdfValue> {}
/** A content-stream operator (a bare keyword). */
export class PdfOperator {
  constructor(readonly op: string) {}
}
export type PdfValue = null | boolean | number | PdfName | PdfRef | PdfString | PdfDict | PdfValue[];

export interface PdfObject {
  num: number;
  /** Byte offset of "num gen obj". */
  offset: number;
  value: PdfValue;
  /** The stream's bytes as stored (before decoding). */
  stream?: Buffer;
}

const WHITE = new Set([0, 9, 10, 12, 13, 32]);
const DELIMS = new Set([...'()<>[]{}/%'].map((c) => c.charCodeAt(0)));

type Token =
  | { t: 'value'; v: PdfValue }
  | { t: 'open-dict' }
  | { t: 'close-dict' }
  | { t: 'open-array' }
  | { t: 'close-array' }
  | { t: 'keyword'; v: string };

class Lexer {
  private queue: { token: Token; start: number }[] = [];
  constructor(
    readonly buf: Buffer,
    public pos = 0,
  ) {}

  skipSpace(): void {
    const b = this.buf;
    while (this.pos < b.length) {
      if (WHITE.has(b[this.pos])) this.pos++;
      else if (b[this.pos] === 0x25) while (this.pos < b.length && b[this.pos] !== 10 && b[this.pos] !== 13) this.pos++;
      else break;
    }
  }

  peek(n = 0): Token | null {
    while (this.queue.length <= n) {
      this.skipSpace();
      const start = this.pos;
      const token = this.read();
      if (!token) return null;
      this.queue.push({ token, start });
    }
    return this.queue[n].token;
  }

  next(): Token | null {
    const token = this.peek();
    if (token) this.queue.shift();
    return token;
  }

  /** Where the next unconsumed token starts (or the end of what was read). */
  get offset(): number {
    return this.queue.length ? this.queue[0].start : this.pos;
  }

  private read(): Token | null {
    this.skipSpace();
    const b = this.buf;
    if (this.pos >= b.length) return null;
    const c = String.fromCharCode(b[this.pos]);
    if (c === '<' && b[this.pos + 1] === 0x3c) {
      this.pos += 2;
      return { t: 'open-dict' };
    }
    if (c === '>' && b[this.pos + 1] === 0x3e) {
      this.pos += 2;
      return { t: 'close-dict' };
    }
    if (c === '[') return this.pos++, { t: 'open-array' };
    if (c === ']') return this.pos++, { t: 'close-array' };
    if (c === '/') {
      let end = ++this.pos;
      while (end < b.length && !WHITE.has(b[end]) && !DELIMS.has(b[end])) end++;
      const raw = b.toString('latin1', this.pos, end);
      this.pos = end;
      return { t: 'value', v: new PdfName(raw.replace(/#([0-9a-fA-F]{2})/g, (_, h) => String.fromCharCode(parseInt(h, 16)))) };
    }
    if (c === '(') return { t: 'value', v: this.literal() };
    if (c === '<') {
      const end = b.indexOf(0x3e, this.pos);
      const hex = b.toString('latin1', this.pos + 1, end).replace(/\s/g, '');
      this.pos = end + 1;
      return { t: 'value', v: new PdfString(Buffer.from(hex.length % 2 ? `${hex}0` : hex, 'hex')) };
    }
    let end = this.pos;
    while (end < b.length && !WHITE.has(b[end]) && !DELIMS.has(b[end])) end++;
    if (end === this.pos) throw new Error(`pdfParse: unexpected "${c}" at ${this.pos}`);
    const word = b.toString('latin1', this.pos, end);
    this.pos = end;
    if (/^[+-]?(\d+\.?\d*|\.\d+)$/.test(word)) return { t: 'value', v: Number(word) };
    if (word === 'true' || word === 'false') return { t: 'value', v: word === 'true' };
    if (word === 'null') return { t: 'value', v: null };
    return { t: 'keyword', v: word };
  }

  private literal(): PdfString {
    const b = this.buf;
    const out: number[] = [];
    let depth = 0;
    this.pos++;
    for (;;) {
      const ch = b[this.pos++];
      if (ch === undefined) throw new Error('pdfParse: unterminated string');
      if (ch === 0x5c) {
        const e = b[this.pos++];
        const simple: Record<number, number> = { 0x6e: 10, 0x72: 13, 0x74: 9, 0x62: 8, 0x66: 12, 0x28: 0x28, 0x29: 0x29, 0x5c: 0x5c };
        if (simple[e] !== undefined) out.push(simple[e]);
        else if (e >= 0x30 && e <= 0x37) {
          let oct = e - 0x30;
          for (let i = 0; i < 2 && b[this.pos] >= 0x30 && b[this.pos] <= 0x37; i++) oct = oct * 8 + (b[this.pos++] - 0x30);
          out.push(oct & 0xff);
        } else if (e === 13) {
          if (b[this.pos] === 10) this.pos++;
        } else if (e !== 10) out.push(e);
        continue;
      }
      if (ch === 0x28) depth++;
      if (ch === 0x29 && depth-- === 0) break;
      out.push(ch);
    }
    return new PdfString(Buffer.from(out));
  }
}

/** The next complete value; bare keywords come back as PdfOperator (content streams). */
function parseValue(lx: Lexer): PdfValue | PdfOperator | undefined {
  const token = lx.next();
  if (!token) return undefined;
  switch (token.t) {
    case 'value': {
      // "12 0 R" is a reference.
      if (typeof token.v === 'number' && Number.isInteger(token.v)) {
        const gen = lx.peek();
        const r = lx.peek(1);
        if (gen?.t === 'value' && typeof gen.v === 'number' && r?.t === 'keyword' && r.v === 'R') {
          lx.next();
          lx.next();
          return new PdfRef(token.v, gen.v);
        }
      }
      return token.v;
    }
    case 'open-array': {
      const items: PdfValue[] = [];
      while (lx.peek() && lx.peek()!.t !== 'close-array') items.push(parseValue(lx) as PdfValue);
      lx.next();
      return items;
    }
    case 'open-dict': {
      const dict = new PdfDict();
      while (lx.peek() && lx.peek()!.t !== 'close-dict') {
        const key = parseValue(lx);
        if (!(key instanceof PdfName)) throw new Error('pdfParse: dictionary key is not a name');
        dict.set(key.name, parseValue(lx) as PdfValue);
      }
      lx.next();
      return dict;
    }
    case 'keyword':
      return new PdfOperator(token.v);
    default:
      throw new Error(`pdfParse: unexpected ${token.t}`);
  }
}

export class PdfFile {
  readonly objects = new Map<number, PdfObject>();
  readonly trailer: PdfDict;
  /** The offset startxref points at. */
  readonly startxref: number;

  constructor(readonly bytes: Buffer) {
    const text = bytes.toString('latin1');
    const header = /(\d+)\s+(\d+)\s+obj\b/g;
    let pos = 0;
    for (;;) {
      header.lastIndex = pos;
      const m = header.exec(text);
      if (!m) break;
      const lx = new Lexer(bytes, m.index + m[0].length);
      const value = parseValue(lx) as PdfValue;
      let after = lx.offset;
      const object: PdfObject = { num: Number(m[1]), offset: m.index, value };
      const lx2 = new Lexer(bytes, after);
      lx2.skipSpace();
      if (text.startsWith('stream', lx2.pos) && value instanceof PdfDict) {
        let start = lx2.pos + 6;
        if (text[start] === '\r') start++;
        if (text[start] === '\n') start++;
        const length = value.get('Length');
        if (typeof length !== 'number') throw new Error(`pdfParse: object ${m[1]} has no direct /Length`);
        object.stream = bytes.subarray(start, start + length);
        after = text.indexOf('endstream', start + length) + 'endstream'.length;
      }
      const end = text.indexOf('endobj', after);
      if (end < 0) throw new Error(`pdfParse: object ${m[1]} has no endobj`);
      this.objects.set(object.num, object);
      pos = end + 6;
    }
    const trailerAt = text.lastIndexOf('trailer');
    this.trailer = parseValue(new Lexer(bytes, trailerAt + 'trailer'.length)) as PdfDict;
    this.startxref = Number(/startxref\s+(\d+)\s+%%EOF\s*$/.exec(text)?.[1] ?? NaN);
  }

  /** A value with references followed. */
  resolve(value: PdfValue | undefined): PdfValue | undefined {
    for (let i = 0; value instanceof PdfRef && i < 32; i++) value = this.objects.get(value.num)?.value;
    return value;
  }

  dict(value: PdfValue | undefined): PdfDict | undefined {
    const v = this.resolve(value);
    return v instanceof PdfDict ? v : undefined;
  }

  /** The decoded bytes of a stream object (Flate only, which is all we write). */
  streamOf(ref: PdfValue | undefined): Buffer | undefined {
    if (!(ref instanceof PdfRef)) return undefined;
    const object = this.objects.get(ref.num);
    if (!object?.stream || !(object.value instanceof PdfDict)) return undefined;
    const filter = object.value.get('Filter');
    const filters = (Array.isArray(filter) ? filter : filter ? [filter] : []).map((f) => (f instanceof PdfName ? f.name : '?'));
    let data = object.stream;
    for (const f of filters) {
      if (f !== 'FlateDecode') throw new Error(`pdfParse: filter ${f} not supported`);
      data = inflateSync(data);
    }
    return data;
  }

  get catalog(): PdfDict {
    return this.dict(this.trailer.get('Root'))!;
  }

  /** A page's content streams, decoded and joined. */
  pageContent(page: PdfDict): Buffer {
    const contents = this.resolve(page.get('Contents'));
    const refs = Array.isArray(contents) ? contents : [page.get('Contents') ?? null];
    return Buffer.concat(refs.map((ref) => this.streamOf(ref) ?? Buffer.alloc(0)));
  }

  /** Page dictionaries in order. */
  pages(): PdfDict[] {
    const out: PdfDict[] = [];
    const walk = (node: PdfDict | undefined) => {
      if (!node) return;
      const type = node.get('Type');
      if (type instanceof PdfName && type.name === 'Page') out.push(node);
      else for (const kid of (this.resolve(node.get('Kids')) as PdfValue[]) ?? []) walk(this.dict(kid));
    };
    walk(this.dict(this.catalog.get('Pages')));
    return out;
  }
}

/** Each operator of a content stream with its operands. */
export function contentOperations(content: Buffer): { op: string; operands: PdfValue[] }[] {
  const lx = new Lexer(content);
  const out: { op: string; operands: PdfValue[] }[] = [];
  let operands: PdfValue[] = [];
  for (let v = parseValue(lx); v !== undefined; v = parseValue(lx)) {
    if (v instanceof PdfOperator) {
      out.push({ op: v.op, operands });
      operands = [];
    } else operands.push(v);
  }
  return out;
}

export const nameOf = (v: PdfValue | undefined): string | undefined => (v instanceof PdfName ? v.name : undefined);
