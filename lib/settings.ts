// Case timings the admin sets (R2.6 reminder lead time and the others), with defaults. Stored in
// the `setting` table; workflows read them through an activity, so tests can make them seconds.
import { z } from 'zod';
import type { Db, DbTypes } from './db';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

export const CaseTimingsSchema = z.object({
  /** How long before a session the reminder goes out. */
  reminderLeadMs: z.number().int().min(0).max(14 * DAY),
  /** How long a parent has to accept an offered seat before it passes on. */
  offerTtlMs: z.number().int().min(1000).max(30 * DAY),
  /** When an unanswered survey gets its one reminder. */
  surveyReminderMs: z.number().int().min(1000).max(30 * DAY),
  /** How long the final evaluation stays open before the case closes as not completed. */
  completionWindowMs: z.number().int().min(1000).max(120 * DAY),
  /** A web-course parent quiet this long gets a reminder. */
  inactivityMs: z.number().int().min(1000).max(60 * DAY),
  /** A manager who has not answered the consent request this long gets one reminder (R6.2). */
  consentReminderMs: z.number().int().min(1000).max(30 * DAY),
  /** No consent by then: the enrolment closes as "no consent" (R6.2). */
  consentDeadlineMs: z.number().int().min(1000).max(60 * DAY),
  /**
   * At most one e-mail and one SMS per case in this long (issue 16): a burst of events is one
   * notice; what else happens in the period is told when it ends (lib/notices/caseNotices.ts).
   */
  noticeQuietMs: z.number().int().min(0).max(DAY),
});
export type CaseTimings = z.infer<typeof CaseTimingsSchema>;

export const DEFAULT_CASE_TIMINGS: CaseTimings = {
  reminderLeadMs: 24 * HOUR,
  offerTtlMs: 3 * DAY,
  surveyReminderMs: 2 * DAY,
  completionWindowMs: 21 * DAY,
  inactivityMs: 7 * DAY,
  consentReminderMs: 5 * DAY,
  consentDeadlineMs: 14 * DAY,
  noticeQuietMs: 10 * MINUTE,
};

const KEY = 'caseTimings';

export async function loadCaseTimings(db: Db): Promise<CaseTimings> {
  return loadSetting(db, KEY, CaseTimingsSchema, DEFAULT_CASE_TIMINGS);
}

export async function saveCaseTimings(db: Db, timings: Partial<CaseTimings>, updatedBy: string | null): Promise<CaseTimings> {
  return saveSetting(db, KEY, CaseTimingsSchema, DEFAULT_CASE_TIMINGS, timings, updatedBy);
}

/** How the web course's guidance works (R5.4): may a module be signed off before its surveys are answered? */
export const WebCourseRulesSchema = z.object({
  /** The module's evaluation and progress surveys open with the module and must be answered before sign-off. */
  signOffNeedsSurveys: z.boolean(),
});
export type WebCourseRules = z.infer<typeof WebCourseRulesSchema>;
export const DEFAULT_WEB_COURSE_RULES: WebCourseRules = { signOffNeedsSurveys: false };
const WEB_COURSE_KEY = 'webCourseRules';

export function loadWebCourseRules(db: Pick<Db, 'setting'>): Promise<WebCourseRules> {
  return loadSetting(db, WEB_COURSE_KEY, WebCourseRulesSchema, DEFAULT_WEB_COURSE_RULES);
}

export function saveWebCourseRules(db: Pick<Db, 'setting'>, rules: Partial<WebCourseRules>, updatedBy: string | null): Promise<WebCourseRules> {
  return saveSetting(db, WEB_COURSE_KEY, WebCourseRulesSchema, DEFAULT_WEB_COURSE_RULES, rules, updatedBy);
}

/**
 * One setting row: its stored fields over the defaults. A field that no longer validates falls
 * back to the default; the admin's other fields stay.
 */
export async function loadSetting<S extends z.ZodObject>(db: Pick<Db, 'setting'>, key: string, schema: S, defaults: z.infer<S>): Promise<z.infer<S>> {
  const row = await db.setting.findUnique({ where: { key } });
  const stored = partialOf(schema).safeParse(row?.value ?? {});
  return { ...defaults, ...(stored.success ? stored.data : {}) };
}

/** Validates the changed fields (throws on bad input), merges them over the current value and stores it. */
export async function saveSetting<S extends z.ZodObject>(
  db: Pick<Db, 'setting'>,
  key: string,
  schema: S,
  defaults: z.infer<S>,
  changes: Partial<z.infer<S>>,
  updatedBy: string | null,
): Promise<z.infer<S>> {
  const value = { ...(await loadSetting(db, key, schema, defaults)), ...partialOf(schema).parse(changes) } as z.infer<S>;
  const json = value as DbTypes.Prisma.InputJsonObject;
  await db.setting.upsert({ where: { key }, create: { key, value: json, updatedBy }, update: { value: json, updatedBy } });
  return value;
}

// zod builds a new schema at every .partial(): settings are read on hot paths (every chat
// stream's wake), so each schema's partial is built once.
const partials = new WeakMap<z.ZodObject, z.ZodObject>();
function partialOf(schema: z.ZodObject): z.ZodObject {
  let partial = partials.get(schema);
  if (!partial) partials.set(schema, (partial = schema.partial()));
  return partial;
}

// ---- whom a professional's enrolment may name as manager (R6.2, issue 14) ---------------------

/** A domain name as the admin types it (`@` and case aside): ASCII labels, a dot, a top level. */
const DOMAIN = /^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;

export const MANAGER_DOMAINS_MAX = 50;

export const EnrolmentRulesSchema = z.object({
  /**
   * The employers' e-mail domains a manager's address must be at (or under: `stockholm.se` also
   * allows `edu.stockholm.se`). Empty: any address but the applicant's own.
   */
  managerEmailDomains: z.array(z.string().regex(DOMAIN)).max(MANAGER_DOMAINS_MAX),
});
export type EnrolmentRules = z.infer<typeof EnrolmentRulesSchema>;

export const DEFAULT_ENROLMENT_RULES: EnrolmentRules = { managerEmailDomains: [] };

const ENROLMENT_KEY = 'enrolmentRules';

export function loadEnrolmentRules(db: Pick<Db, 'setting'>): Promise<EnrolmentRules> {
  return loadSetting(db, ENROLMENT_KEY, EnrolmentRulesSchema, DEFAULT_ENROLMENT_RULES);
}

export function saveEnrolmentRules(db: Pick<Db, 'setting'>, rules: Partial<EnrolmentRules>, updatedBy: string | null): Promise<EnrolmentRules> {
  return saveSetting(db, ENROLMENT_KEY, EnrolmentRulesSchema, DEFAULT_ENROLMENT_RULES, rules, updatedBy);
}

/**
 * The admin's list as typed (commas, spaces or lines between; a leading `@` is fine), or null when
 * an entry is no domain name. Lower case, each once.
 */
export function parseDomainList(text: string): string[] | null {
  const entries = text
    .split(/[\s,;]+/)
    .map((d) => d.trim().toLowerCase().replace(/^@/, '').replace(/\.$/, ''))
    .filter(Boolean);
  if (entries.some((d) => !DOMAIN.test(d))) return null;
  return [...new Set(entries)];
}
