// The parts of PDF/A-2b (ISO 19005-2) that a file of ours can get wrong, checked structurally:
// veraPDF is not to be had here, so this reads the file itself. It answers with the problems
// found (none for a conforming file). For tests and checks only.
import { contentOperations, nameOf, PdfDict, PdfFile, PdfRef, PdfString, type PdfValue } from './pdfParse';

/** The problems found; an empty list means the checked parts conform. */
export function pdfaProblems(pdf: Uint8Array): string[] {
  const bytes = Buffer.from(pdf);
  const problems: string[] = [];
  let file: PdfFile;
  try {
    file = new PdfFile(bytes);
  } catch (err) {
    return [`unreadable: ${(err as Error).message}`];
  }

  // 6.1.2: header, then a comment of at least four bytes above 127.
  const lines = bytes.subarray(0, 64).toString('latin1').split(/\r\n|\r|\n/);
  if (!/^%PDF-1\.[0-7]$/.test(lines[0])) problems.push('header is not %PDF-1.n');
  if (!(lines[1]?.startsWith('%') && [...lines[1].slice(1)].filter((c) => c.charCodeAt(0) > 127).length >= 4)) {
    problems.push('no binary comment after the header');
  }

  // 6.1.3: a file identifier, no encryption; the xref table points at the objects.
  const id = file.trailer.get('ID');
  if (!Array.isArray(id) || id.length !== 2 || !id.every((v) => v instanceof PdfString && v.bytes.length > 0)) problems.push('trailer has no /ID');
  if (file.trailer.has('Encrypt')) problems.push('file is encrypted');
  problems.push(...xrefProblems(file, bytes));

  // 6.6: XMP metadata, uncompressed, saying part 2, conformance B; consistent with /Info.
  const catalog = file.catalog;
  const metadataRef = catalog.get('Metadata');
  const metadata = file.dict(metadataRef);
  let xmp = '';
  if (!metadata || !(metadataRef instanceof PdfRef)) problems.push('catalog has no /Metadata stream');
  else {
    if (metadata.has('Filter')) problems.push('metadata stream is compressed');
    if (nameOf(metadata.get('Type')) !== 'Metadata' || nameOf(metadata.get('Subtype')) !== 'XML') problems.push('metadata is not /Type /Metadata /Subtype /XML');
    xmp = file.streamOf(metadataRef)?.toString('utf8') ?? '';
    if (!/^<\?xpacket begin=/.test(xmp) || !/<\?xpacket end="[rw]"\?>$/.test(xmp.trim())) problems.push('metadata is not an XMP packet');
    if (xmpValue(xmp, 'pdfaid:part') !== '2') problems.push('XMP pdfaid:part is not 2');
    if (xmpValue(xmp, 'pdfaid:conformance') !== 'B') problems.push('XMP pdfaid:conformance is not B');
    problems.push(...infoProblems(file, xmp));
  }

  // 6.2.3: an output intent with an embedded ICC profile (RGB, as our colours are).
  const intents = file.resolve(catalog.get('OutputIntents'));
  const pdfa = (Array.isArray(intents) ? intents : []).map((i) => file.dict(i)).find((i) => nameOf(i?.get('S')) === 'GTS_PDFA1');
  if (!pdfa) problems.push('no GTS_PDFA1 OutputIntent');
  else {
    const profileRef = pdfa.get('DestOutputProfile');
    const profile = file.streamOf(profileRef);
    if (!profile) problems.push('OutputIntent has no embedded ICC profile');
    else {
      if (profile.toString('latin1', 36, 40) !== 'acsp') problems.push('DestOutputProfile is not an ICC profile');
      if (profile.toString('latin1', 16, 20) !== 'RGB ' || file.dict(profileRef)?.get('N') !== 3) problems.push('ICC profile is not RGB with /N 3');
    }
  }

  // 6.2.11: every font embedded; a CIDFontType2 maps CIDs to glyphs; never the .notdef glyph.
  for (const [num, object] of file.objects) {
    const dict = object.value;
    if (!(dict instanceof PdfDict) || nameOf(dict.get('Type')) !== 'Font') continue;
    const subtype = nameOf(dict.get('Subtype'));
    if (subtype === 'Type0' || subtype === 'Type3') continue; // checked through descendants / own glyph procedures
    const descriptor = file.dict(dict.get('FontDescriptor'));
    const embedded = descriptor && ['FontFile', 'FontFile2', 'FontFile3'].some((k) => file.streamOf(descriptor.get(k))?.length);
    if (!embedded) problems.push(`font ${num} (${nameOf(dict.get('BaseFont'))}) is not embedded`);
    if (subtype === 'CIDFontType2' && !dict.has('CIDToGIDMap')) problems.push(`font ${num} has no CIDToGIDMap`);
  }

  // 6.2.10 and 6.4: no transparency; 6.5, 6.6.1: no JavaScript, no launch actions, no embedded files.
  for (const [num, object] of file.objects) {
    const dict = object.value;
    if (!(dict instanceof PdfDict)) continue;
    const smask = dict.get('SMask');
    if (smask !== undefined && nameOf(smask) !== 'None') problems.push(`object ${num} has a soft mask`);
    for (const key of ['CA', 'ca']) {
      const alpha = dict.get(key);
      if (typeof alpha === 'number' && alpha !== 1) problems.push(`object ${num} has /${key} ${alpha}`);
    }
    const blend = nameOf(dict.get('BM'));
    if (blend && blend !== 'Normal' && blend !== 'Compatible') problems.push(`object ${num} has blend mode ${blend}`);
    const group = file.dict(dict.get('Group'));
    if (group && nameOf(group.get('S')) === 'Transparency') problems.push(`object ${num} has a transparency group`);
    if (nameOf(dict.get('S')) === 'JavaScript' || dict.has('JS')) problems.push(`object ${num} holds JavaScript`);
    if (nameOf(dict.get('S')) === 'Launch') problems.push(`object ${num} is a launch action`);
    if (dict.has('EmbeddedFiles')) problems.push(`object ${num} lists embedded files`);
    const filter = dict.get('Filter');
    if ([filter].flat().some((f) => nameOf(f as PdfValue) === 'LZWDecode')) problems.push(`object ${num} uses LZW`);
  }
  problems.push(...notdefProblems(file));
  return problems;
}

/** The text of an XMP property, written as an element or as an attribute. */
function xmpValue(xmp: string, property: string): string | undefined {
  const element = new RegExp(`<${property}>\\s*([^<]*?)\\s*</${property}>`).exec(xmp);
  if (element) return element[1];
  return new RegExp(`${property}="([^"]*)"`).exec(xmp)?.[1];
}

/** 6.6.2.1 (ISO 19005-2, as in 19005-1 6.7.3): /Info entries have equal XMP properties. */
function infoProblems(file: PdfFile, xmp: string): string[] {
  const info = file.dict(file.trailer.get('Info'));
  if (!info) return [];
  const problems: string[] = [];
  const text = (key: string) => {
    const v = file.resolve(info.get(key));
    return v instanceof PdfString ? v.text() : undefined;
  };
  const pairs: [string, (x: string) => string | undefined][] = [
    ['Title', (x) => /<dc:title>\s*<rdf:Alt>\s*<rdf:li[^>]*>([^<]*)<\/rdf:li>/.exec(x)?.[1]],
    ['Producer', (x) => xmpValue(x, 'pdf:Producer')],
    ['Creator', (x) => xmpValue(x, 'xmp:CreatorTool')],
  ];
  for (const [key, read] of pairs) {
    const value = text(key);
    if (value !== undefined && read(xmp) !== value) problems.push(`Info /${key} and its XMP property differ`);
  }
  const created = text('CreationDate');
  if (created) {
    const m = /^D:(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})Z/.exec(created);
    const xmpDate = xmpValue(xmp, 'xmp:CreateDate');
    if (!m || !xmpDate || new Date(`${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}Z`).getTime() !== new Date(xmpDate).getTime()) {
      problems.push('Info /CreationDate and xmp:CreateDate differ');
    }
  }
  return problems;
}

/** 6.1.4: every xref entry points at its object; startxref points at the table. */
function xrefProblems(file: PdfFile, bytes: Buffer): string[] {
  const text = bytes.toString('latin1');
  if (text.slice(file.startxref, file.startxref + 4) !== 'xref') return ['startxref does not point at the xref table'];
  const m = /^xref\r?\n0 (\d+)\r?\n/.exec(text.slice(file.startxref));
  if (!m) return ['xref table unreadable'];
  const entries = text.slice(file.startxref + m[0].length).split(/\r?\n/).slice(0, Number(m[1]));
  const problems: string[] = [];
  entries.forEach((entry, num) => {
    if (num === 0 || !entry.endsWith('n ')) return;
    const offset = Number(entry.slice(0, 10));
    if (file.objects.get(num)?.offset !== offset) problems.push(`xref entry of object ${num} is wrong`);
  });
  return problems;
}

/** 6.2.11.8: no text shows glyph 0 (.notdef) of an Identity-H font. */
function notdefProblems(file: PdfFile): string[] {
  const problems: string[] = [];
  file.pages().forEach((page, i) => {
    const fonts = file.dict(file.dict(page.get('Resources'))?.get('Font'));
    const identity = new Set([...(fonts?.entries() ?? [])].filter(([, f]) => nameOf(file.dict(f)?.get('Encoding')) === 'Identity-H').map(([name]) => name));
    let font = '';
    for (const { op, operands } of contentOperations(file.pageContent(page))) {
      if (op === 'Tf') font = nameOf(operands[0]) ?? '';
      if ((op === 'Tj' || op === 'TJ') && identity.has(font)) {
        const strings = (op === 'TJ' ? (operands[0] as PdfValue[]) : [operands[0]]).filter((s): s is PdfString => s instanceof PdfString);
        for (const s of strings) for (let j = 0; j + 1 < s.bytes.length; j += 2) if (s.bytes.readUInt16BE(j) === 0) problems.push(`page ${i + 1} shows .notdef`);
      }
    }
  });
  return [...new Set(problems)];
}
