// The human-readable copy of a case for the archive package (representations/rep1/data/arende.pdf):
// the case's records and its diary in plain Swedish, on as many A4 pages as it takes. Texts come
// from the `archive` translations (and the shared status, kind and event texts); times are
// Stockholm time.
import type { PdfTranslate } from '../pdf/documentPage';
import { A4, buildPdfPages, type PdfTextLine } from '../pdf/simplePdf';
import { TIME_ZONE } from '../time';
import type { ArchiveCase } from './caseRecord';

const LEFT = 56;
const VALUE_X = 210;
const RIGHT = A4.width - 56;
const TOP = 110;
const BOTTOM = A4.height - 64;

const minute = new Intl.DateTimeFormat('sv-SE', { timeZone: TIME_ZONE, dateStyle: 'short', timeStyle: 'short' });
const day = new Intl.DateTimeFormat('sv-SE', { timeZone: TIME_ZONE, dateStyle: 'short' });
const at = (iso: string | null | undefined) => (iso ? minute.format(new Date(iso)) : '–');
const onDay = (iso: string | null | undefined) => (iso ? day.format(new Date(iso)) : '–');
const money = new Intl.NumberFormat('sv-SE', { style: 'currency', currency: 'SEK' });

/** Helvetica advance widths, roughly, in em: enough to break lines before the margin. */
function textWidth(text: string, size: number): number {
  let em = 0;
  for (const ch of text) {
    if ('il.,:;|!\'`ijtf()[] '.includes(ch)) em += 0.3;
    else if ('mwMW@%'.includes(ch)) em += 0.88;
    else if (ch >= 'A' && ch <= 'Z') em += 0.7;
    else if ('ÅÄÖÉÜ'.includes(ch)) em += 0.7;
    else em += 0.56;
  }
  return em * size;
}

/** Breaks text into lines that fit `width` points (words longer than a line are cut). */
export function wrapText(text: string, width: number, size: number): string[] {
  const out: string[] = [];
  for (const paragraph of text.replace(/\r\n?/g, '\n').split('\n')) {
    let line = '';
    for (const word of paragraph.split(/\s+/).filter(Boolean)) {
      let w = word;
      while (textWidth(w, size) > width) {
        let cut = w.length - 1;
        while (cut > 1 && textWidth(w.slice(0, cut), size) > width) cut--;
        if (line) out.push(line);
        out.push(w.slice(0, cut));
        line = '';
        w = w.slice(cut);
      }
      const next = line ? `${line} ${w}` : w;
      if (textWidth(next, size) > width && line) {
        out.push(line);
        line = w;
      } else line = next;
    }
    out.push(line);
  }
  return out;
}

class Flow {
  pages: PdfTextLine[][] = [[]];
  y = TOP;
  private get page() {
    return this.pages[this.pages.length - 1];
  }
  private room(height: number) {
    if (this.y + height > BOTTOM) {
      this.pages.push([]);
      this.y = TOP;
    }
  }
  heading(text: string) {
    this.room(46);
    this.y += 14;
    this.page.push({ text, x: LEFT, y: this.y, size: 13, bold: true });
    this.y += 20;
  }
  text(text: string, opts: { size?: number; bold?: boolean; indent?: number } = {}) {
    const size = opts.size ?? 10;
    const x = LEFT + (opts.indent ?? 0);
    for (const line of wrapText(text, RIGHT - x, size)) {
      this.room(size + 4);
      this.page.push({ text: line, x, y: this.y, size, bold: opts.bold });
      this.y += size + 4;
    }
  }
  row(label: string, value: string) {
    const lines = wrapText(value || '–', RIGHT - VALUE_X, 10);
    this.room(14 * Math.min(lines.length, 3));
    this.page.push({ text: label, x: LEFT, y: this.y, size: 10, bold: true });
    for (const line of lines) {
      this.room(14);
      this.page.push({ text: line, x: VALUE_X, y: this.y, size: 10 });
      this.y += 14;
    }
  }
  gap(points = 6) {
    this.y += points;
  }
}

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

/** The PDF of the case. `packageDate`: when the package was made (the "as of" date on page 1). */
export function casePdf(record: ArchiveCase, t: PdfTranslate, packageDate: Date): Buffer {
  const f = new Flow();
  const title = t('archive.pdf.title', { caseNumber: record.caseNumber });
  f.pages[0].push({ text: title, x: LEFT, y: f.y, size: 18, bold: true });
  f.y += 18;
  f.text(t('archive.pdf.lead', { date: at(packageDate.toISOString()) }), { size: 9 });

  f.heading(t('archive.pdf.sections.case'));
  f.row(t('archive.pdf.caseNumber'), record.caseNumber);
  f.row(t('archive.pdf.kind'), t(`kinds.${record.kind}`));
  f.row(t('archive.pdf.course'), record.course.title);
  f.row(t('archive.pdf.district'), record.course.district?.name ?? t('archive.pdf.noDistrict'));
  f.row(t('archive.pdf.status'), t(`status.${record.status}`));
  f.row(t('archive.pdf.submitted'), at(record.submittedAt));
  if (record.decidedAt) f.row(t('archive.pdf.decided'), at(record.decidedAt));
  f.row(t('archive.pdf.closed'), at(record.closedAt));
  if (record.approvedAt) f.row(t('archive.pdf.approved'), at(record.approvedAt));
  if (record.supervisionGroup) f.row(t('archive.pdf.group'), record.supervisionGroup);
  if (record.guide) f.row(t('archive.pdf.guide'), record.guide.name ?? '–');
  if (record.queueReason) f.row(t('archive.pdf.queueReason'), record.queueReason);

  f.heading(t('archive.pdf.sections.applicant'));
  f.row(t('archive.pdf.name'), record.applicant.name ?? '–');
  f.row(t('archive.pdf.personnummer'), record.applicant.personnummer ?? '–');
  f.row(t('archive.pdf.email'), record.applicant.email);
  f.row(t('archive.pdf.phone'), record.applicant.phone ?? '–');

  const answers = Object.entries(record.answers);
  if (answers.length) {
    f.heading(t('archive.pdf.sections.answers'));
    for (const [key, value] of answers) {
      const labelKey = `archive.answers.${key}`;
      const label = t(labelKey);
      f.row(label === labelKey ? key : label, answerValue(value));
    }
  }

  if (record.consent) {
    const c = record.consent;
    f.heading(t('archive.pdf.sections.consent'));
    f.row(t('archive.pdf.managerEmail'), c.managerEmail);
    f.row(t('archive.pdf.consentAsked'), at(c.createdAt));
    f.row(t('archive.pdf.consentDecision'), c.decision ? t(`archive.pdf.consentDecisions.${c.decision}`) : t('archive.pdf.consentDecisions.none'));
    if (c.usedAt) f.row(t('archive.pdf.consentAnswered'), at(c.usedAt));
    if (c.comment) f.row(t('archive.pdf.consentComment'), c.comment);
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
  const total = f.pages.length;
  const pages = f.pages.map((lines, i) => [
    { text: t('archive.pdf.issuer'), x: LEFT, y: 50, size: 12, bold: true },
    { text: t('archive.pdf.issuerUnit'), x: LEFT, y: 66, size: 9 },
    { text: title, x: RIGHT - textWidth(title, 9), y: 50, size: 9 },
    ...lines,
    { text: t('archive.pdf.page', { page: i + 1, pages: total }), x: LEFT, y: A4.height - 36, size: 8 },
  ]);
  return buildPdfPages(pages, { title });
}
