// Which kinds of file staff may upload as course material (R3.3, R5.1). The type is decided by the
// file's own bytes; the name's extension must agree. The browser's MIME type is never trusted.

export type MaterialType = 'pdf' | 'png' | 'jpeg' | 'docx' | 'pptx' | 'xlsx' | 'odt';

export const MATERIAL_TYPES: Record<MaterialType, { mimeType: string; extensions: string[]; label: string }> = {
  pdf: { mimeType: 'application/pdf', extensions: ['pdf'], label: 'PDF' },
  png: { mimeType: 'image/png', extensions: ['png'], label: 'PNG' },
  jpeg: { mimeType: 'image/jpeg', extensions: ['jpg', 'jpeg'], label: 'JPEG' },
  docx: { mimeType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', extensions: ['docx'], label: 'Word (DOCX)' },
  pptx: { mimeType: 'application/vnd.openxmlformats-officedocument.presentationml.presentation', extensions: ['pptx'], label: 'PowerPoint (PPTX)' },
  xlsx: { mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', extensions: ['xlsx'], label: 'Excel (XLSX)' },
  odt: { mimeType: 'application/vnd.oasis.opendocument.text', extensions: ['odt'], label: 'OpenDocument (ODT)' },
};

export const ALLOWED_TYPE_LABELS = Object.values(MATERIAL_TYPES).map((t) => t.label).join(', ');

const startsWith = (bytes: Uint8Array, prefix: number[], at = 0) =>
  bytes.length >= at + prefix.length && prefix.every((b, i) => bytes[at + i] === b);
const ascii = (s: string) => [...s].map((ch) => ch.charCodeAt(0));

/** The allowed type these bytes are, or null (anything else: executables, text, archives…). */
export function detectMaterialType(bytes: Uint8Array): MaterialType | null {
  if (startsWith(bytes, ascii('%PDF-'))) return 'pdf';
  if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'png';
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return 'jpeg';
  if (startsWith(bytes, [0x50, 0x4b, 0x03, 0x04])) return officeType(bytes);
  return null;
}

/** DOCX, PPTX, XLSX and ODT are all ZIP files; the entries inside tell them apart. */
function officeType(bytes: Uint8Array): MaterialType | null {
  // OpenDocument: the first entry is an uncompressed "mimetype" file naming the document type.
  const odtMime = MATERIAL_TYPES.odt.mimeType;
  if (startsWith(bytes, ascii('mimetype'), 30) && startsWith(bytes, ascii(odtMime), 38)) {
    const storedSize = readUint32(bytes, 22);
    return storedSize === odtMime.length ? 'odt' : null;
  }
  const names = zipEntryNames(bytes);
  if (!names || !names.has('[Content_Types].xml')) return null;
  if (names.has('word/document.xml')) return 'docx';
  if (names.has('ppt/presentation.xml')) return 'pptx';
  if (names.has('xl/workbook.xml')) return 'xlsx';
  return null;
}

const readUint16 = (b: Uint8Array, at: number) => b[at] | (b[at + 1] << 8);
const readUint32 = (b: Uint8Array, at: number) => (b[at] | (b[at + 1] << 8) | (b[at + 2] << 16) | (b[at + 3] << 24)) >>> 0;

/** The file names in a ZIP's central directory; null if it is not a well-formed ZIP. */
function zipEntryNames(b: Uint8Array): Set<string> | null {
  // The end-of-central-directory record sits in the last 22 + 65535 (comment) bytes.
  let end = -1;
  for (let i = b.length - 22; i >= Math.max(0, b.length - 22 - 0xffff); i--) {
    if (readUint32(b, i) === 0x06054b50) {
      end = i;
      break;
    }
  }
  if (end < 0) return null;
  const count = readUint16(b, end + 10);
  let at = readUint32(b, end + 16);
  const names = new Set<string>();
  const decoder = new TextDecoder();
  for (let n = 0; n < count; n++) {
    if (at + 46 > b.length || readUint32(b, at) !== 0x02014b50) return null;
    const nameLength = readUint16(b, at + 28);
    const extraLength = readUint16(b, at + 30);
    const commentLength = readUint16(b, at + 32);
    if (at + 46 + nameLength > b.length) return null;
    names.add(decoder.decode(b.subarray(at + 46, at + 46 + nameLength)));
    at += 46 + nameLength + extraLength + commentLength;
  }
  return names;
}

export function extensionOf(fileName: string): string {
  const dot = fileName.lastIndexOf('.');
  return dot > 0 ? fileName.slice(dot + 1).toLowerCase() : '';
}

export type FileCheck =
  | { ok: true; type: MaterialType; mimeType: string }
  | { ok: false; error: 'empty' | 'tooLarge' | 'type' | 'mismatch' };

/** Size, type by content, and the extension agreeing with it. */
export function checkMaterialFile(fileName: string, bytes: Uint8Array, maxBytes: number): FileCheck {
  if (bytes.length === 0) return { ok: false, error: 'empty' };
  if (bytes.length > maxBytes) return { ok: false, error: 'tooLarge' };
  const type = detectMaterialType(bytes);
  if (!type) return { ok: false, error: 'type' };
  if (!MATERIAL_TYPES[type].extensions.includes(extensionOf(fileName))) return { ok: false, error: 'mismatch' };
  return { ok: true, type, mimeType: MATERIAL_TYPES[type].mimeType };
}

/** "PDF", "Word (DOCX)"… for a stored MIME type. */
export function typeLabelOf(mimeType: string): string {
  return Object.values(MATERIAL_TYPES).find((m) => m.mimeType === mimeType)?.label ?? mimeType;
}
