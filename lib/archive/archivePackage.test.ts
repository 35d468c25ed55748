// The archive package, checked by independent readers: fflate unzips it, ajv validates the case
// JSON against the package's own JSON Schema, the PDF reader reads the Swedish text back and the
// PDF/A check (lib/pdf/pdfaCheck.ts) finds the archive copy conforming to PDF/A-2b.
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { unzipSync } from 'fflate';
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { translator } from '../i18n';
import { pdfaProblems } from '../pdf/pdfaCheck';
import { extractPdfText } from '../pdf/pdfText';
import { buildArchivePackage, packageIdOf } from './archivePackage';
import { ArchiveCaseSchema, type ArchiveCase } from './caseRecord';
import { wrapText } from '../pdf/fonts';
import { casePdf } from './casePdf';

const t = translator('sv');
const createdAt = new Date('2028-05-02T03:00:00Z');

function sampleCase(overrides: Partial<ArchiveCase> = {}): ArchiveCase {
  return ArchiveCaseSchema.parse({
    schemaVersion: '1.0',
    caseNumber: 'KOM-2026-000042',
    kind: 'groupCourse',
    status: 'completed',
    submittedAt: '2026-01-10T09:15:00.000Z',
    decidedAt: '2026-01-12T10:00:00.000Z',
    closedAt: '2026-03-20T16:00:00.000Z',
    approvedAt: null,
    course: {
      id: '3f0b3c2e-6a53-4c47-9a55-0a2f1c1f5b10',
      title: 'Komet för föräldrar, Södermalm',
      kind: 'groupCourse',
      language: 'sv',
      district: { slug: 'sodermalm', name: 'Södermalm' },
      sessions: [{ startsAt: '2026-02-01T17:00:00.000Z', endsAt: '2026-02-01T19:00:00.000Z', place: 'Medborgarhuset, Götgatan 1' }],
    },
    applicant: { name: 'Åsa Öberg', personnummer: '19811218-9876', email: 'asa@example.org', phone: '+46701112233' },
    answers: { childAge: 7, message: 'Vi vill ha hjälp (gärna kvällstid).' },
    queueReason: null,
    supervisionGroup: null,
    guide: null,
    events: [
      { type: 'submitted', at: '2026-01-10T09:15:00.000Z', actor: 'applicant', actorName: null, data: {} },
      { type: 'decision.admitted', at: '2026-01-12T10:00:00.000Z', actor: 'staff', actorName: 'Gruppledare Söder', data: {} },
      { type: 'notice.admitted', at: '2026-01-12T10:00:01.000Z', actor: 'system', actorName: null, data: { courseTitle: 'Komet' } },
      { type: 'message', at: '2026-01-13T08:00:00.000Z', actor: 'applicant', actorName: null, data: { body: 'Får vi ta med barnvagn?', from: 'parent' } },
      { type: 'case.completed', at: '2026-03-20T16:00:00.000Z', actor: 'system', actorName: null, data: {} },
    ],
    notifications: [
      { channel: 'email', recipient: 'asa@example.org', subject: 'Nytt i ditt ärende', body: 'Logga in: https://komet.example/mina-arenden', status: 'sent', createdAt: '2026-01-12T10:00:02.000Z', sentAt: '2026-01-12T10:00:03.000Z' },
    ],
    diaryNotes: [],
    seatOffers: [],
    attendance: [{ sessionStartsAt: '2026-02-01T17:00:00.000Z', present: true, markedAt: '2026-02-01T19:05:00.000Z' }],
    surveyInvitations: [
      { surveyKind: 'sessionEvaluation', sessionStartsAt: '2026-02-01T17:00:00.000Z', moduleNumber: null, answered: true, createdAt: '2026-02-01T19:00:00.000Z', remindedAt: null },
    ],
    consent: null,
    invoices: [],
    certificate: null,
    ...overrides,
  });
}

describe('the archive package', () => {
  const record = sampleCase();
  const built = buildArchivePackage(record, t, createdAt);
  const files = unzipSync(new Uint8Array(built.zip));
  const id = packageIdOf(record.caseNumber);
  const read = (path: string) => Buffer.from(files[`${id}/${path}`]);

  it('unzips to the CSIP / FGS Paketstruktur layout under one package folder', () => {
    const names = Object.keys(files).filter((n) => !n.endsWith('/'));
    expect(names.sort()).toEqual(
      [
        'METS.xml',
        'metadata/descriptive/arende-beskrivning.json',
        'representations/rep1/METS.xml',
        'representations/rep1/data/arende.json',
        'representations/rep1/data/arende.pdf',
        'schemas/arende.schema.json',
      ].map((p) => `${id}/${p}`),
    );
    expect(built.fileName).toBe('arkivpaket-KOM-2026-000042.zip');
  });

  it('has the SHA-256 of its bytes, and the same bytes again for the same case and time', () => {
    expect(built.sha256).toBe(createHash('sha256').update(built.zip).digest('hex'));
    expect(buildArchivePackage(record, t, createdAt).sha256).toBe(built.sha256);
    expect(buildArchivePackage(record, t, new Date(createdAt.getTime() + 1000)).sha256).not.toBe(built.sha256);
  });

  it("lists every file in the package METS with its own SHA-256, size and MIME type", () => {
    const mets = read('METS.xml').toString('utf8');
    expect(mets).toContain(`OBJID="${id}"`);
    expect(mets).toContain('csip:OAISPACKAGETYPE="SIP"');
    expect(mets).toContain('<mets:name>Stockholms stad, Komet e-tjänst</mets:name>');
    expect(mets).toContain('ROLE="CREATOR" TYPE="OTHER" OTHERTYPE="SOFTWARE"');
    for (const path of Object.keys(files).filter((n) => !n.endsWith('/') && n !== `${id}/METS.xml`)) {
      const inner = path.slice(id.length + 1);
      const data = Buffer.from(files[path]);
      const sha = createHash('sha256').update(data).digest('hex');
      const element = new RegExp(`<mets:(file|mdRef)[^>]*CHECKSUM="${sha}"[^>]*>(\\s*<mets:FLocat[^>]*xlink:href="${inner.replace(/\./g, '\\.')}")?`);
      const match = element.exec(mets);
      expect(match, inner).not.toBeNull();
      expect(match![0]).toContain(`SIZE="${data.length}"`);
      expect(match![0]).toMatch(/MIMETYPE="application\/(json|pdf|xml|schema\+json)"/);
      if (match![1] === 'mdRef') expect(match![0]).toContain(`xlink:href="${inner}"`);
    }
    const rep = read('representations/rep1/METS.xml').toString('utf8');
    expect(rep).toContain('xlink:href="data/arende.pdf"');
    expect(rep).toContain(`CHECKSUM="${createHash('sha256').update(read('representations/rep1/data/arende.pdf')).digest('hex')}"`);
  });

  it('carries the case JSON, which validates against the JSON Schema in the package', () => {
    const schema = JSON.parse(read('schemas/arende.schema.json').toString('utf8'));
    const data = JSON.parse(read('representations/rep1/data/arende.json').toString('utf8'));
    const ajv = new Ajv2020({ allErrors: true, strict: true });
    addFormats.default(ajv);
    const validate = ajv.compile(schema);
    expect(validate(data), JSON.stringify(validate.errors)).toBe(true);
    expect(data).toEqual(record);
    // The validator does bite: a record missing its events or with a bad time is refused.
    const { events: _events, ...noEvents } = data;
    expect(validate(noEvents)).toBe(false);
    expect(validate({ ...data, closedAt: '20 mars' })).toBe(false);
    expect(validate({ ...data, extra: 1 })).toBe(false);
  });

  it('describes the case without personal data in the descriptive metadata', () => {
    const description = read('metadata/descriptive/arende-beskrivning.json').toString('utf8');
    expect(JSON.parse(description)).toMatchObject({ caseNumber: 'KOM-2026-000042', district: 'Södermalm', status: 'completed' });
    expect(description).not.toContain('Öberg');
    expect(description).not.toContain('19811218');
  });

  it('carries a PDF that parses and tells the case in Swedish', () => {
    const pdf = read('representations/rep1/data/arende.pdf');
    expect(pdf.subarray(0, 8).toString('latin1')).toBe('%PDF-1.7');
    const text = extractPdfText(pdf).join('\n');
    expect(text).toContain('Ärende KOM-2026-000042');
    expect(text).toContain('Komet för föräldrar, Södermalm');
    expect(text).toContain('Åsa Öberg');
    expect(text).toContain('Beslut: antagen');
    expect(text).toContain('Meddelande i ärendet');
    expect(text).toContain('Får vi ta med barnvagn?');
    expect(text).toContain('Vi vill ha hjälp (gärna kvällstid).');
    expect(text).toContain('Avslutad – genomförd');
    expect(text).toContain('Sida 1 av 1');
  });

  it('carries the case PDF as PDF/A-2b', () => {
    expect(pdfaProblems(read('representations/rep1/data/arende.pdf'))).toEqual([]);
  });

  it('keeps a name in Arabic letters as written in the archive copy', () => {
    const arabic = sampleCase({ applicant: { name: 'أحمد Öberg', personnummer: null, email: 'a@example.org', phone: null } });
    const pdf = casePdf(arabic, t, createdAt);
    expect(extractPdfText(pdf)).toContain('أحمد Öberg');
    expect(pdfaProblems(pdf)).toEqual([]);
  });

  it('dates every zip entry with the package time in UTC, folders included, compressing only what shrinks', () => {
    const zip = built.zip;
    const entries: { name: string; method: number; date: number; time: number; compressed: number; size: number }[] = [];
    for (let at = 0; zip.readUInt32LE(at) === 0x04034b50; ) {
      const nameLength = zip.readUInt16LE(at + 26);
      const compressed = zip.readUInt32LE(at + 18);
      entries.push({
        name: zip.toString('utf8', at + 30, at + 30 + nameLength),
        method: zip.readUInt16LE(at + 8),
        time: zip.readUInt16LE(at + 10),
        date: zip.readUInt16LE(at + 12),
        compressed,
        size: zip.readUInt32LE(at + 22),
      });
      at += 30 + nameLength + zip.readUInt16LE(at + 28) + compressed;
    }
    expect(entries.filter((e) => e.name.endsWith('/')).map((e) => e.name)).toEqual(
      ['', 'metadata/', 'metadata/descriptive/', 'representations/', 'representations/rep1/', 'representations/rep1/data/', 'schemas/'].map((f) => `${id}/${f}`),
    );
    // 2028-05-02T03:00:00Z
    for (const e of entries) {
      expect(e.date).toBe(((2028 - 1980) << 9) | (5 << 5) | 2);
      expect(e.time).toBe(3 << 11);
    }
    const json = entries.find((e) => e.name.endsWith('arende.json'))!;
    expect(json.method).toBe(8);
    expect(json.compressed).toBeLessThan(json.size);
    for (const e of entries.filter((e) => e.method === 0)) expect(e.compressed).toBe(e.size);
  });
});

describe('the case PDF', () => {
  it('runs onto further pages and numbers them', () => {
    const events = Array.from({ length: 120 }, (_, i) => ({
      type: i % 2 ? 'notice.sessionReminder' : 'offer.expired',
      at: new Date(Date.UTC(2026, 0, 1, 8, i)).toISOString(),
      actor: 'system' as const,
      actorName: null,
      data: {},
    }));
    const text = extractPdfText(casePdf(sampleCase({ events }), t, createdAt));
    const pages = text.filter((l) => /^Sida \d+ av \d+$/.test(l));
    expect(pages.length).toBeGreaterThan(2);
    expect(pages.at(-1)).toBe(`Sida ${pages.length} av ${pages.length}`);
    expect(text.filter((l) => l.includes('Påminnelse om nästa träff'))).toHaveLength(60);
  });

  it('wraps long text within the margin and keeps every word', () => {
    const long = 'Ett långt meddelande '.repeat(40).trim();
    const lines = wrapText(long, 300, 10);
    expect(lines.length).toBeGreaterThan(3);
    expect(lines.join(' ')).toBe(long);
    expect(wrapText('x'.repeat(400), 300, 10).join('')).toBe('x'.repeat(400));
  });
});
