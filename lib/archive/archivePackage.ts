/**
 * The archive package of a closed case (R9.3): one zip, shaped after the Swedish National
 * Archives' FGS Paketstruktur, i.e. the E-ARK Common Specification for Information Packages
 * (CSIP) with the SIP profile, as far as it fits a single case:
 *
 *     komet-KOM-2026-000123/                       package folder = METS OBJID
 *       METS.xml                                   package METS: agents, dmdSec, a fileSec listing
 *                                                  every other file with SHA-256, MIMETYPE, SIZE
 *       metadata/descriptive/arende-beskrivning.json   what the case is (no personal data)
 *       representations/rep1/METS.xml              the representation's METS (its data files)
 *       representations/rep1/data/arende.json      the case's records and events (machine-readable)
 *       representations/rep1/data/arende.pdf       the same for people, in Swedish
 *       schemas/arende.schema.json                 JSON Schema of arende.json (from the zod schema)
 *
 * The zip's own SHA-256 cannot be inside it: it is stored with the package, shown in the diarium,
 * sent as a header with the download and offered as a sidecar `<file>.sha256`.
 *
 * A package is a function of the case's records and its creation time, so rebuilding an unchanged
 * case with the stored time gives the same bytes: that is how ensureArchivePackage tells whether
 * a stored package is still current.
 */
import { createHash } from 'node:crypto';
import type { Db } from '../db';
import type { PdfTranslate } from '../pdf/documentPage';
import { archiveCaseJsonSchema, loadArchiveCase, type ArchiveCase } from './caseRecord';
import { deflateSync, zipSync, type Zippable } from 'fflate';
import { casePdf } from './casePdf';
import { isClosedStatus } from '../cases/caseStatus';

export const ARCHIVE_CREATOR = 'Stockholms stad, Komet e-tjänst';
export const ARCHIVIST = 'Stockholms stad';
const SOFTWARE_VERSION = 'Komet arkivpaket 1.0';
const CSIP_NS = 'https://DILCIS.eu/XML/METS/CSIPExtensionMETS';
const SIP_PROFILE = 'https://earksip.dilcis.eu/profile/E-ARK-SIP.xml';
const CSIP_PROFILE = 'https://earkcsip.dilcis.eu/profile/E-ARK-CSIP.xml';
const CONTENT_TYPE = 'Komet ärende (JSON och PDF)';

/** Statuses after which a case is settled and can be archived (parents' and trainings' closings). */

export function packageIdOf(caseNumber: string): string {
  return `komet-${caseNumber}`;
}
export function packageFileName(caseNumber: string): string {
  return `arkivpaket-${caseNumber}.zip`;
}

export interface PackageFile {
  /** Path inside the package folder. */
  path: string;
  mimeType: string;
  size: number;
  sha256: string;
}

export interface BuiltPackage {
  packageId: string;
  fileName: string;
  zip: Buffer;
  sha256: string;
  createdAt: Date;
  /** Every file but the package METS, as its fileSec lists them. */
  files: PackageFile[];
}

export const sha256Hex = (data: Uint8Array) => createHash('sha256').update(data).digest('hex');

const xml = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]!);

function describe(file: PackageFile, created: string): string {
  return `MIMETYPE="${xml(file.mimeType)}" SIZE="${file.size}" CREATED="${created}" CHECKSUM="${file.sha256}" CHECKSUMTYPE="SHA-256"`;
}

function fileElement(id: string, file: PackageFile, href: string, created: string): string {
  return `      <mets:file ID="${id}" ${describe(file, created)}>
        <mets:FLocat LOCTYPE="URL" xlink:type="simple" xlink:href="${xml(href)}"/>
      </mets:file>`;
}

function header(created: string): string {
  return `  <mets:metsHdr CREATEDATE="${created}" RECORDSTATUS="NEW" csip:OAISPACKAGETYPE="SIP">
    <mets:agent ROLE="ARCHIVIST" TYPE="ORGANIZATION">
      <mets:name>${xml(ARCHIVIST)}</mets:name>
    </mets:agent>
    <mets:agent ROLE="CREATOR" TYPE="OTHER" OTHERTYPE="SOFTWARE">
      <mets:name>${xml(ARCHIVE_CREATOR)}</mets:name>
      <mets:note csip:NOTETYPE="SOFTWARE VERSION">${xml(SOFTWARE_VERSION)}</mets:note>
    </mets:agent>
  </mets:metsHdr>`;
}

const OPEN_METS = (objId: string, label: string, profile: string) =>
  `<?xml version="1.0" encoding="UTF-8"?>
<mets:mets xmlns:mets="http://www.loc.gov/METS/" xmlns:xlink="http://www.w3.org/1999/xlink" xmlns:csip="${CSIP_NS}"
  OBJID="${xml(objId)}" LABEL="${xml(label)}" TYPE="Mixed" csip:CONTENTINFORMATIONTYPE="OTHER" csip:OTHERCONTENTINFORMATIONTYPE="${xml(CONTENT_TYPE)}" PROFILE="${profile}">`;

function representationMets(packageId: string, caseNumber: string, data: PackageFile[], created: string): string {
  const ids = data.map((_, i) => `file-rep1-${i + 1}`);
  return `${OPEN_METS(`${packageId}-rep1`, `Ärende ${caseNumber}, representation 1`, CSIP_PROFILE)}
${header(created)}
  <mets:fileSec ID="filesec-rep1">
    <mets:fileGrp ID="grp-rep1-data" USE="Data">
${data.map((f, i) => fileElement(ids[i], f, f.path.replace(/^representations\/rep1\//, ''), created)).join('\n')}
    </mets:fileGrp>
  </mets:fileSec>
  <mets:structMap ID="structmap-rep1" TYPE="PHYSICAL" LABEL="CSIP">
    <mets:div ID="div-rep1" LABEL="rep1">
      <mets:div ID="div-rep1-data" LABEL="Data">
${ids.map((id) => `        <mets:fptr FILEID="${id}"/>`).join('\n')}
      </mets:div>
    </mets:div>
  </mets:structMap>
</mets:mets>
`;
}

function packageMets(packageId: string, caseNumber: string, files: PackageFile[], created: string): string {
  const descriptive = files.find((f) => f.path.startsWith('metadata/descriptive/'))!;
  const schemas = files.filter((f) => f.path.startsWith('schemas/'));
  const rep = files.filter((f) => f.path.startsWith('representations/rep1/'));
  const repMetsIndex = rep.findIndex((f) => f.path === 'representations/rep1/METS.xml');
  return `${OPEN_METS(packageId, `Komet ärende ${caseNumber}`, SIP_PROFILE)}
${header(created)}
  <mets:dmdSec ID="dmd-arende" CREATED="${created}" STATUS="CURRENT">
    <mets:mdRef LOCTYPE="URL" xlink:type="simple" xlink:href="${xml(descriptive.path)}" MDTYPE="OTHER" OTHERMDTYPE="KOMET-ARENDE" ${describe(descriptive, created)}/>
  </mets:dmdSec>
  <mets:fileSec ID="filesec">
    <mets:fileGrp ID="grp-schemas" USE="Schemas">
${schemas.map((f, i) => fileElement(`file-schema-${i + 1}`, f, f.path, created)).join('\n')}
    </mets:fileGrp>
    <mets:fileGrp ID="grp-rep1" USE="Representations/rep1">
${rep.map((f, i) => fileElement(`file-rep1-${i + 1}`, f, f.path, created)).join('\n')}
    </mets:fileGrp>
  </mets:fileSec>
  <mets:structMap ID="structmap-csip" TYPE="PHYSICAL" LABEL="CSIP">
    <mets:div ID="div-package" LABEL="${xml(packageId)}">
      <mets:div ID="div-metadata" LABEL="Metadata" DMDID="dmd-arende"/>
      <mets:div ID="div-schemas" LABEL="Schemas">
${schemas.map((_, i) => `        <mets:fptr FILEID="file-schema-${i + 1}"/>`).join('\n')}
      </mets:div>
      <mets:div ID="div-rep1" LABEL="Representations/rep1">
        <mets:mptr LOCTYPE="URL" xlink:type="simple" xlink:href="representations/rep1/METS.xml" xlink:title="file-rep1-${repMetsIndex + 1}"/>
      </mets:div>
    </mets:div>
  </mets:structMap>
</mets:mets>
`;
}

const json = (value: unknown) => Buffer.from(`${JSON.stringify(value, null, 2)}\n`, 'utf8');

/** Builds the package of a case record, as of `createdAt`. Pure: same input, same bytes. */
export function buildArchivePackage(record: ArchiveCase, t: PdfTranslate, createdAt: Date): BuiltPackage {
  const packageId = packageIdOf(record.caseNumber);
  const created = createdAt.toISOString();
  const contents = new Map<string, { data: Buffer; mimeType: string }>();
  const put = (path: string, data: Buffer, mimeType: string) => contents.set(path, { data, mimeType });

  put(
    'metadata/descriptive/arende-beskrivning.json',
    json({
      packageId,
      title: `Komet ärende ${record.caseNumber}`,
      caseNumber: record.caseNumber,
      kind: record.kind,
      course: record.course.title,
      district: record.course.district?.name ?? null,
      status: record.status,
      submittedAt: record.submittedAt,
      closedAt: record.closedAt,
      archivist: ARCHIVIST,
      creator: ARCHIVE_CREATOR,
      createdAt: created,
    }),
    'application/json',
  );
  put('schemas/arende.schema.json', json(archiveCaseJsonSchema()), 'application/schema+json');
  put('representations/rep1/data/arende.json', json(record), 'application/json');
  put('representations/rep1/data/arende.pdf', casePdf(record, t, createdAt), 'application/pdf');

  const describeFile = (path: string): PackageFile => {
    const { data, mimeType } = contents.get(path)!;
    return { path, mimeType, size: data.length, sha256: sha256Hex(data) };
  };
  const repData = ['representations/rep1/data/arende.json', 'representations/rep1/data/arende.pdf'].map(describeFile);
  put('representations/rep1/METS.xml', Buffer.from(representationMets(packageId, record.caseNumber, repData, created), 'utf8'), 'application/xml');
  const files = [
    'metadata/descriptive/arende-beskrivning.json',
    'schemas/arende.schema.json',
    'representations/rep1/METS.xml',
    'representations/rep1/data/arende.json',
    'representations/rep1/data/arende.pdf',
  ].map(describeFile);
  const rootMets = Buffer.from(packageMets(packageId, record.caseNumber, files, created), 'utf8');

  const folders = ['', 'metadata/', 'metadata/descriptive/', 'representations/', 'representations/rep1/', 'representations/rep1/data/', 'schemas/'];
  const zip = zipPackage(
    [
      ...folders.map((f) => ({ name: `${packageId}/${f}` })),
      { name: `${packageId}/METS.xml`, data: rootMets },
      ...files.map((f) => ({ name: `${packageId}/${f.path}`, data: contents.get(f.path)!.data })),
    ],
    createdAt,
  );
  return { packageId, fileName: packageFileName(record.caseNumber), zip, sha256: sha256Hex(zip), createdAt, files };
}

/**
 * The zip (fflate): UTF-8 names, Unix modes, each file deflated or stored as it is, whichever is
 * smaller, every entry dated `modified`. Folders are entries of their own, so the package's empty
 * layout survives unzipping.
 */
function zipPackage(entries: { name: string; data?: Uint8Array }[], modified: Date): Buffer {
  // fflate writes the DOS time from a Date's local fields; the package's times are UTC, so it gets
  // a Date whose local fields are the UTC ones (the same bytes whatever the server's time zone).
  const mtime = new Date(modified.getUTCFullYear(), modified.getUTCMonth(), modified.getUTCDate(), modified.getUTCHours(), modified.getUTCMinutes(), modified.getUTCSeconds());
  const zippable: Zippable = {};
  for (const { name, data } of entries) {
    const folder = name.endsWith('/');
    const bytes = folder ? new Uint8Array(0) : (data ?? new Uint8Array(0));
    const level = bytes.length > 0 && deflateSync(bytes, { level: 9 }).length < bytes.length ? 9 : 0;
    const attrs = folder ? ((0o40755 << 16) | 0x10) >>> 0 : (0o100644 << 16) >>> 0;
    zippable[name] = [bytes, { level, mtime, os: 3, attrs }];
  }
  return Buffer.from(zipSync(zippable));
}

export interface StoredPackage {
  caseNumber: string;
  fileName: string;
  sha256: string;
  sizeBytes: number;
  content: Uint8Array;
  createdBy: string;
  createdAt: Date;
}

export type EnsureResult =
  | { ok: true; package: StoredPackage; created: boolean }
  | { ok: false; code: 'not-found' | 'not-closed' | 'erased-without-package' };

/**
 * The case's stored package, made or brought up to date first. A package stays as it is while the
 * case's records are unchanged (rebuilt with its own creation time it gives the same checksum); a
 * case whose records changed gets a new one. After erasure the stored package is the only full
 * copy and is never rebuilt. Idempotent; concurrent callers meet at the unique applicationId.
 */
export async function ensureArchivePackage(
  db: Db,
  applicationId: string,
  opts: { createdBy: string; t: PdfTranslate; now?: Date },
): Promise<EnsureResult> {
  const app = await db.application.findUnique({ where: { id: applicationId }, select: { status: true, erasedAt: true, caseNumber: true } });
  if (!app) return { ok: false, code: 'not-found' };
  const existing = await db.archivePackage.findUnique({ where: { applicationId } });
  if (app.erasedAt) return existing ? { ok: true, package: existing, created: false } : { ok: false, code: 'erased-without-package' };
  if (!isClosedStatus(app.status)) return { ok: false, code: 'not-closed' };
  const record = await loadArchiveCase(db, applicationId);
  if (!record) return { ok: false, code: 'not-found' };
  if (existing && buildArchivePackage(record, opts.t, existing.createdAt).sha256 === existing.sha256) {
    return { ok: true, package: existing, created: false };
  }
  // Whole seconds: the DOS times in the zip have no milliseconds, the database keeps them.
  const createdAt = new Date(Math.floor((opts.now ?? new Date()).getTime() / 1000) * 1000);
  const built = buildArchivePackage(record, opts.t, createdAt);
  const data = {
    caseNumber: record.caseNumber,
    fileName: built.fileName,
    sha256: built.sha256,
    sizeBytes: built.zip.length,
    content: new Uint8Array(built.zip),
    createdBy: opts.createdBy,
    createdAt,
  };
  // Written under the case row's lock, which the erasure holds while it works: a record read while
  // an erasure ran is never stored over the full one (the erased case keeps its package).
  return db.$transaction(async (tx) => {
    await tx.$queryRaw`SELECT id FROM application WHERE id = ${applicationId}::uuid FOR UPDATE`;
    const now = await tx.application.findUniqueOrThrow({ where: { id: applicationId }, select: { erasedAt: true } });
    if (now.erasedAt) {
      const kept = await tx.archivePackage.findUnique({ where: { applicationId } });
      return kept ? { ok: true as const, package: kept, created: false } : { ok: false as const, code: 'erased-without-package' as const };
    }
    const stored = await tx.archivePackage.upsert({ where: { applicationId }, create: { applicationId, ...data }, update: data });
    return { ok: true as const, package: stored, created: true };
  });
}
