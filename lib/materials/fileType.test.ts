// The upload check decides the type by content: what a file is called or claims does not count.
import { crc32 } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { attachmentDisposition, cleanFileName } from './fileName';
import { checkMaterialFile, detectMaterialType } from './fileType';

/** A ZIP with stored (uncompressed) entries, as office suites write them. */
function zip(entries: Record<string, string>): Uint8Array {
  const local: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const [name, text] of Object.entries(entries)) {
    const nameBytes = Buffer.from(name);
    const data = Buffer.from(text);
    const header = Buffer.alloc(30);
    header.writeUInt32LE(0x04034b50, 0);
    header.writeUInt16LE(20, 4);
    header.writeUInt32LE(crc32(data), 14);
    header.writeUInt32LE(data.length, 18);
    header.writeUInt32LE(data.length, 22);
    header.writeUInt16LE(nameBytes.length, 26);
    local.push(header, nameBytes, data);
    const dir = Buffer.alloc(46);
    dir.writeUInt32LE(0x02014b50, 0);
    dir.writeUInt16LE(20, 4);
    dir.writeUInt16LE(20, 6);
    dir.writeUInt32LE(crc32(data), 16);
    dir.writeUInt32LE(data.length, 20);
    dir.writeUInt32LE(data.length, 24);
    dir.writeUInt16LE(nameBytes.length, 28);
    dir.writeUInt32LE(offset, 42);
    central.push(dir, nameBytes);
    offset += 30 + nameBytes.length + data.length;
  }
  const dirSize = central.reduce((n, b) => n + b.length, 0);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(Object.keys(entries).length, 8);
  end.writeUInt16LE(Object.keys(entries).length, 10);
  end.writeUInt32LE(dirSize, 12);
  end.writeUInt32LE(offset, 16);
  return new Uint8Array(Buffer.concat([...local, ...central, end]));
}

const ooxml = (part: string) => zip({ '[Content_Types].xml': '<Types/>', [part]: '<x/>' });
const bytes = (s: string) => new Uint8Array(Buffer.from(s, 'latin1'));

describe('material file type', () => {
  it('recognises each allowed type by its bytes', () => {
    expect(detectMaterialType(bytes('%PDF-1.7\n%%EOF'))).toBe('pdf');
    expect(detectMaterialType(new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0]))).toBe('png');
    expect(detectMaterialType(new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0]))).toBe('jpeg');
    expect(detectMaterialType(ooxml('word/document.xml'))).toBe('docx');
    expect(detectMaterialType(ooxml('ppt/presentation.xml'))).toBe('pptx');
    expect(detectMaterialType(ooxml('xl/workbook.xml'))).toBe('xlsx');
    expect(detectMaterialType(zip({ mimetype: 'application/vnd.oasis.opendocument.text', 'content.xml': '<x/>' }))).toBe('odt');
  });

  it('refuses executables, text, other archives and other OpenDocument kinds', () => {
    expect(detectMaterialType(bytes('MZ\x90\x00\x03'))).toBeNull();
    expect(detectMaterialType(bytes('just some text, not a PDF'))).toBeNull();
    expect(detectMaterialType(zip({ 'evil.exe': 'MZ' }))).toBeNull();
    expect(detectMaterialType(zip({ mimetype: 'application/vnd.oasis.opendocument.text-template' }))).toBeNull();
    expect(detectMaterialType(bytes('PK\x03\x04 truncated'))).toBeNull();
  });

  it('needs the extension to agree with the content, and a size within the limit', () => {
    const pdf = bytes('%PDF-1.7\n%%EOF');
    expect(checkMaterialFile('Veckans övning.PDF', pdf, 100)).toMatchObject({ ok: true, mimeType: 'application/pdf' });
    expect(checkMaterialFile('bild.JPEG', new Uint8Array([0xff, 0xd8, 0xff, 1]), 100)).toMatchObject({ ok: true, type: 'jpeg' });
    expect(checkMaterialFile('övning.docx', pdf, 100)).toEqual({ ok: false, error: 'mismatch' });
    expect(checkMaterialFile('övning', pdf, 100)).toEqual({ ok: false, error: 'mismatch' });
    expect(checkMaterialFile('notes.pdf', bytes('hello'), 100)).toEqual({ ok: false, error: 'type' });
    expect(checkMaterialFile('tom.pdf', new Uint8Array(0), 100)).toEqual({ ok: false, error: 'empty' });
    expect(checkMaterialFile('stor.pdf', pdf, pdf.length - 1)).toEqual({ ok: false, error: 'tooLarge' });
  });
});

describe('material file names', () => {
  it('keeps only the base name, without control or quoting characters', () => {
    expect(cleanFileName('C:\\fakepath\\Övning 1.pdf')).toBe('Övning 1.pdf');
    expect(cleanFileName('../../etc/"pass"\u0000wd.pdf')).toBe('passwd.pdf');
    const long = cleanFileName(`${'a'.repeat(300)}.docx`);
    expect(long).toHaveLength(200);
    expect(long.endsWith('.docx')).toBe(true);
  });

  it('sends Swedish names as RFC 5987 filename* with an ASCII fallback', () => {
    expect(attachmentDisposition('Föräldrar åäö (1).pdf')).toBe(
      `attachment; filename="Foraldrar aao _1_.pdf"; filename*=UTF-8''F%C3%B6r%C3%A4ldrar%20%C3%A5%C3%A4%C3%B6%20%281%29.pdf`,
    );
    expect(attachmentDisposition('plain.pdf')).toBe(`attachment; filename="plain.pdf"; filename*=UTF-8''plain.pdf`);
  });
});
