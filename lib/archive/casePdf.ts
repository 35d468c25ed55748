// The human-readable copy of a case for the archive package (representations/rep1/data/arende.pdf):
// the case's records and its diary in plain Swedish, on as many A4 pages as it takes, as PDF/A-2b
// with its font embedded (lib/pdf/document.ts), so that names in any script survive the years. Texts come
// from the `archive` translations (and the shared status, kind and event texts); times are
// Stockholm time.
import type { PdfTranslate } from '../pdf/documentPage';
import { A4, renderPdf } from '../pdf/document';
import { Flow } from '../pdf/flow';
import { TIME_ZONE } from '../time';
import type { ArchiveCase } from './caseRecord';

const START = 56;
const VALUE_AT = 154;

const minute = new Intl.DateTimeFormat('sv-SE', { timeZone: TIME_ZONE, dateStyle: 'short', timeStyle: 'short' });
const day = new Intl.DateTimeFormat('sv-SE', { timeZone: TIME_ZONE, dateStyle: 'short' });
const at = (iso: string | null | undefined) => (iso ? minute.format(new Date(iso)) : '–');
const onDay = (iso: string | null | undefined) => (iso ? day.format(new Date(iso)) : '–');
const money = new Intl.NumberFormat('sv-SE', { style: 'currency', currency: 'SEK' });

function eventLabel(type: string, t: PdfTranslate): string {
  if (type === 'message') return t('archive.pdf.message');
  const key = `events.${type}`;
  const label = t(key);
  return label === key ? t('archive.pdf.otherEvent', { type }) : label;
}

function actorLabel(e: ArchiveCase['events'][number], t: PdfTranslate): string {
  if (e.actor === 'staff') return e.actorName ?? t('archive.pdf.actor.staff');
  return t(`archive.pdf.actor.${e.actor}`);
}

function answerValue(value: unknown): string {
  if (value === null || value === undefined || value === '') return '–';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}

/**
 * The PDF/A-2b of the case, in Swedish. `packageDate`: when the package was made (the "as of"
 * date on page 1, and the file's creation date, so that the same case and date give the same bytes).
 */
export function casePdf(record: ArchiveCase, t: PdfTranslate, packageDate: Date): Buffer {
  const f = new Flow({ top: 110, bottom: A4.height - 64, start: START, end: START });
  const row = (label: string, value: string) => f.row(label, value, { valueAt: VALUE_AT });
  const title = t('archive.pdf.title', { caseNumber: record.caseNumber });
  f.text(title, { size: 18, bold: true, lineHeight: 22 });
  f.text(t('archive.pdf.lead', { date: at(packageDate.toISOString()) }), { size: 9 });

  f.heading(t('archive.pdf.sections.case'));
  row(t('archive.pdf.caseNumber'), record.caseNumber);
  row(t('archive.pdf.kind'), t(`kinds.${record.kind}`));
  row(t('archive.pdf.course'), record.course.title);
  row(t('archive.pdf.district'), record.course.district?.name ?? t('archive.pdf.noDistrict'));
  row(t('archive.pdf.status'), t(`status.${record.status}`));
  row(t('archive.pdf.submitted'), at(record.submittedAt));
  if (record.decidedAt) row(t('archive.pdf.decided'), at(record.decidedAt));
  row(t('archive.pdf.closed'), at(record.closedAt));
  if (record.approvedAt) row(t('archive.pdf.approved'), at(record.approvedAt));
  if (record.supervisionGroup) row(t('archive.pdf.group'), record.supervisionGroup);
  if (record.guide) row(t('archive.pdf.guide'), record.guide.name ?? '–');
  if (record.queueReason) row(t('archive.pdf.queueReason'), record.queueReason);

  f.heading(t('archive.pdf.sections.applicant'));
  row(t('archive.pdf.name'), record.applicant.name ?? '–');
  row(t('archive.pdf.personnummer'), record.applicant.personnummer ?? '–');
  row(t('archive.pdf.email'), record.applicant.email);
  row(t('archive.pdf.phone'), record.applicant.phone ?? '–');

  const answers = Object.entries(record.answers);
  if (answers.length) {
    f.heading(t('archive.pdf.sections.answers'));
    for (const [key, value] of answers) {
      const labelKey = `archive.answers.${key}`;
      const label = t(labelKey);
      row(label === labelKey ? key : label, answerValue(value));
    }
  }

  if (record.consent) {
    const c = record.consent;
    f.heading(t('archive.pdf.sections.consent'));
    row(t('archive.pdf.managerEmail'), c.managerEmail);
    row(t('archive.pdf.consentAsked'), at(c.createdAt));
    row(t('archive.pdf.consentDecision'), c.decision ? t(`archive.pdf.consentDecisions.${c.decision}`) : t('archive.pdf.consentDecisions.none'));
    if (c.usedAt) row(t('archive.pdf.consentAnswered'), at(c.usedAt));
    if (c.comment) row(t('archive.pdf.consentComment'), c.comment);
  }

  f.heading(t('archive.pdf.sections.events'));
  if (!record.events.length) f.text(t('archive.pdf.none'));
  for (const e of record.events) {
    f.text(`${at(e.at)}  ${eventLabel(e.type, t)} (${t('archive.pdf.by', { actor: actorLabel(e, t) })})`);
    if (e.type === 'message') {
      const subject = typeof e.data.subject === 'string' ? e.data.subject : null;
      if (subject) f.text(subject, { indent: 16, size: 9, bold: true });
      if (typeof e.data.body === 'string') f.text(e.data.body, { indent: 16, size: 9 });
    }
  }

  f.heading(t('archive.pdf.sections.notifications'));
  if (!record.notifications.length) f.text(t('archive.pdf.none'));
  for (const n of record.notifications) {
    const head = `${at(n.sentAt ?? n.createdAt)}  ${t(`archive.pdf.channel.${n.channel}`)} ${t('archive.pdf.to')} ${n.recipient}`;
    f.text(`${head} (${t(`archive.pdf.notificationStatus.${n.status}`)})`);
    if (n.subject) f.text(n.subject, { indent: 16, size: 9 });
  }

  if (record.diaryNotes.length) {
    f.heading(t('archive.pdf.sections.diary'));
    for (const n of record.diaryNotes) {
      f.text(`${at(n.at)}  ${t('archive.pdf.module', { number: n.moduleNumber })}, ${t(n.fromGuide ? 'archive.pdf.fromGuide' : 'archive.pdf.fromApplicant')}`);
      f.text(n.body, { indent: 16, size: 9 });
    }
  }

  if (record.seatOffers.length) {
    f.heading(t('archive.pdf.sections.offers'));
    for (const o of record.seatOffers) {
      f.text(t('archive.pdf.offer', { course: o.courseTitle, offered: at(o.createdAt), expires: at(o.expiresAt), status: t(`archive.pdf.offerStatus.${o.status}`) }));
    }
  }

  if (record.attendance.length) {
    f.heading(t('archive.pdf.sections.attendance'));
    for (const a of record.attendance) f.text(`${at(a.sessionStartsAt)}  ${t(a.present ? 'archive.pdf.present' : 'archive.pdf.absent')}`);
  }

  if (record.surveyInvitations.length) {
    f.heading(t('archive.pdf.sections.surveys'));
    for (const s of record.surveyInvitations) {
      f.text(`${onDay(s.createdAt)}  ${t(`surveys.kinds.${s.surveyKind}`)}: ${t(s.answered ? 'archive.pdf.answered' : 'archive.pdf.notAnswered')}`);
    }
  }

  if (record.invoices.length) {
    f.heading(t('archive.pdf.sections.invoices'));
    for (const i of record.invoices) {
      const paid = i.paidAt ? t('archive.pdf.paid', { date: onDay(i.paidAt) }) : t('archive.pdf.unpaid');
      f.text(t('archive.pdf.invoice', { number: i.number, amount: money.format(i.amountOre / 100), due: i.dueDate, paid }));
    }
  }

  if (record.certificate) {
    f.heading(t('archive.pdf.sections.certificate'));
    f.text(t('archive.pdf.certificate', { number: record.certificate.number, date: onDay(record.certificate.issuedAt), holder: record.certificate.holderName }));
  }

  // The letterhead and "page n of m" on every page, once the page count is known.
  const pages = f.decorate((page, pages) => [
    { text: t('archive.pdf.issuer'), x: START, y: 50, size: 12, bold: true },
    { text: t('archive.pdf.issuerUnit'), x: START, y: 66, size: 9 },
    { text: title, x: START, width: f.width, align: 'end', y: 50, size: 9 },
    { text: t('archive.pdf.page', { page, pages }), x: START, y: A4.height - 36, size: 8 },
  ]);
  return renderPdf(pages, { title, lang: 'sv', createdAt: packageDate });
}
