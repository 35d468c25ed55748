// Case workflows from Temporal visibility (R9.4): supervisors see the live processes, not a copy,
// a page at a time (Temporal's page tokens), with the total the filter matches. Search attributes
// carry ids and codes only; the page resolves them to names from the database.
import { createHmac } from 'node:crypto';
import type { Deps } from '../deps';
import { safeEqual } from '../crypto';
import {
  CaseKindKey,
  CaseNumberKey,
  CaseStatusKey,
  CourseKey,
  DistrictKey,
  WaitingForKey,
  WaitingSinceKey,
} from '../../workflows/searchAttributes';
import { filterQueryString, visibilityQuery, type InspectorFilter } from './filters';

export const INSPECTOR_PAGE_SIZE = 50;

export interface CaseRow {
  workflowId: string;
  caseNumber: string | null;
  kind: string | null;
  district: string | null;
  course: string | null;
  status: string | null;
  waitingFor: string | null;
  waitingSince: Date | null;
  startedAt: Date | null;
  running: boolean;
}

export type CaseListing =
  | { ok: true; rows: CaseRow[]; next: string | null; total: number }
  | { ok: false; problem: 'pageExpired' | 'unavailable' };

interface RawPayload {
  data?: Uint8Array | null;
}

/** One search attribute's value (JSON in the payload), or null. */
export function attributeValue(fields: Record<string, RawPayload> | null | undefined, name: string): unknown {
  const data = fields?.[name]?.data;
  if (!data?.length) return null;
  try {
    const value = JSON.parse(Buffer.from(data).toString('utf8')) as unknown;
    return Array.isArray(value) ? (value[0] ?? null) : value;
  } catch {
    return null;
  }
}

const text = (v: unknown) => (typeof v === 'string' && v ? v : null);
function instant(v: unknown): Date | null {
  if (typeof v !== 'string') return null;
  const at = new Date(v);
  return Number.isNaN(at.getTime()) ? null : at;
}
function protoTime(t: { seconds?: unknown; nanos?: number | null } | null | undefined): Date | null {
  if (!t?.seconds) return null;
  return new Date(Number(t.seconds) * 1000 + Math.floor((t.nanos ?? 0) / 1e6));
}

/**
 * Temporal's page token travels in the address signed for the filter it belongs to: a token
 * someone edited, or one from another filter, is refused here and never reaches Temporal (which
 * would retry a malformed one for a long while before giving up).
 */
export function signPageToken(secret: string, filter: InspectorFilter, token: Uint8Array): string {
  const raw = Buffer.from(token).toString('base64url');
  return `${raw}.${pageTokenMac(secret, filter, raw)}`;
}

export function verifyPageToken(secret: string, filter: InspectorFilter, signed: string): Buffer | null {
  const match = /^([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]{43})$/.exec(signed);
  if (!match || !safeEqual(match[2], pageTokenMac(secret, filter, match[1]))) return null;
  return Buffer.from(match[1], 'base64url');
}

function pageTokenMac(secret: string, filter: InspectorFilter, raw: string): string {
  return createHmac('sha256', secret).update(`inspector-page:${filterQueryString(filter)}:${raw}`).digest('base64url');
}

/** How long the list waits for Temporal's visibility. */
const LIST_TIMEOUT_MS = 10_000;

/**
 * The total a filter matches is counted at most every COUNT_TTL_MS per web process: counting
 * scans what the filter selects (tens of thousands of open cases), while the rows themselves are
 * always live. A total a few seconds old is plenty for "N cases match".
 */
export const COUNT_TTL_MS = 15_000;
const COUNT_CACHE_MAX = 500;
const counts = new Map<string, { total: number; at: number }>();

/** Forgets the cached totals (tests that count workflows they just started). */
export function forgetCounts(): void {
  counts.clear();
}

async function countCases(deps: Pick<Deps, 'temporal' | 'config'>, filter: InspectorFilter, query: string, now: number): Promise<number> {
  const key = `${deps.config.TEMPORAL_NAMESPACE}|${filterQueryString(filter)}`;
  const hit = counts.get(key);
  if (hit && now - hit.at < COUNT_TTL_MS) return hit.total;
  const { count } = await deps.temporal.workflowService.countWorkflowExecutions({ namespace: deps.config.TEMPORAL_NAMESPACE, query });
  const total = Number(count ?? 0);
  if (counts.size >= COUNT_CACHE_MAX) counts.delete(counts.keys().next().value!);
  counts.set(key, { total, at: now });
  return total;
}

/** RUNNING in Temporal's WorkflowExecutionStatus enum. */
const STATUS_RUNNING = 1;

/** A page of case workflows and the filter's total; a stale or foreign page token starts nothing wrong. */
export async function listCases(
  deps: Pick<Deps, 'temporal' | 'config'>,
  filter: InspectorFilter,
  pageToken?: string,
  now: Date = new Date(),
): Promise<CaseListing> {
  const query = visibilityQuery(filter, now);
  const service = deps.temporal.workflowService;
  const namespace = deps.config.TEMPORAL_NAMESPACE;
  const secret = deps.config.sessionSecret;
  const token = pageToken ? verifyPageToken(secret, filter, pageToken) : undefined;
  if (token === null) return { ok: false, problem: 'pageExpired' };
  try {
    const [page, total] = await deps.temporal.withDeadline(Date.now() + LIST_TIMEOUT_MS, () =>
      Promise.all([
        service.listWorkflowExecutions({ namespace, pageSize: INSPECTOR_PAGE_SIZE, nextPageToken: token, query }),
        countCases(deps, filter, query, now.getTime()),
      ]),
    );
    const rows = (page.executions ?? []).map((e): CaseRow => {
      const fields = e.searchAttributes?.indexedFields as Record<string, RawPayload> | undefined;
      return {
        workflowId: e.execution?.workflowId ?? '',
        caseNumber: text(attributeValue(fields, CaseNumberKey.name)),
        kind: text(attributeValue(fields, CaseKindKey.name)),
        district: text(attributeValue(fields, DistrictKey.name)),
        course: text(attributeValue(fields, CourseKey.name)),
        status: text(attributeValue(fields, CaseStatusKey.name)),
        waitingFor: text(attributeValue(fields, WaitingForKey.name)),
        waitingSince: instant(attributeValue(fields, WaitingSinceKey.name)),
        startedAt: protoTime(e.startTime),
        running: Number(e.status) === STATUS_RUNNING,
      };
    });
    const next = page.nextPageToken?.length ? signPageToken(secret, filter, page.nextPageToken) : null;
    return { ok: true, rows, next, total };
  } catch (err) {
    // A page token Temporal no longer accepts is the reader's link going stale, not an error.
    if (!pageToken) console.warn(`[inspector] listing failed: ${(err as Error).name} ${(err as { code?: unknown }).code ?? ''}`);
    return { ok: false, problem: pageToken ? 'pageExpired' : 'unavailable' };
  }
}
