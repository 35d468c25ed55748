// One case as the inspector shows it (R9.4): each of its workflows (the case itself and, for the
// web course, its guidance) with the live state from the workflow's query, what it waits for and
// since when, its pending timers and its history in plain words. A workflow that is closed, gone
// or does not answer in time is described as such; nothing here throws for that.
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import type { Deps } from '../deps';
import { PARENT_APPLICATION, statusQuery } from '../../workflows/parentApplication.messages';
import { enrolmentStatusQuery, PROFESSIONAL_ENROLMENT } from '../../workflows/professionalEnrolment.messages';
import { guidanceStatusQuery, WEB_COURSE_GUIDANCE, webCourseGuidanceWorkflowId } from '../../workflows/webCourseGuidance.messages';
import { CaseStatusKey, WaitingForKey, WaitingSinceKey } from '../../workflows/searchAttributes';
import type { CaseKind } from './filters';
import { historyEvents, historyLines, pendingTimers, type HistoryLine, type PendingTimer } from './history';

/** How long a page waits for a workflow's answer before saying it does not answer. */
const QUERY_TIMEOUT_MS = 5_000;
const HISTORY_TIMEOUT_MS = 10_000;
/** The newest lines shown; the whole history is one link away in the Temporal UI. */
export const HISTORY_LINES_SHOWN = 300;

export interface InspectedWorkflow {
  workflowId: string;
  kind: CaseKind;
  /** RUNNING, COMPLETED, FAILED, TERMINATED, … as Temporal names it; null when Temporal did not answer. */
  executionStatus: string | null;
  running: boolean;
  startedAt: Date | null;
  closedAt: Date | null;
  /** The state its query returns (ids and codes only), or null with the reason. */
  live: Record<string, unknown> | null;
  liveProblem: 'closed' | 'unavailable' | null;
  status: string | null;
  waitingFor: string | null;
  waitingSince: Date | null;
  timers: PendingTimer[];
  history: HistoryLine[];
  historyOmitted: number;
  historyProblem: boolean;
  /** The same workflow in the Temporal Web UI, when one is configured. */
  uiUrl: string | null;
}

/** The query that returns each kind's state (by name: the states differ, the page shows them alike). */
const QUERIES: Record<CaseKind, string> = {
  [PARENT_APPLICATION]: statusQuery.name,
  [PROFESSIONAL_ENROLMENT]: enrolmentStatusQuery.name,
  [WEB_COURSE_GUIDANCE]: guidanceStatusQuery.name,
};

function kindOfCase(applicationKind: string): CaseKind {
  return applicationKind === 'training' ? PROFESSIONAL_ENROLMENT : PARENT_APPLICATION;
}

/** The case's workflows: the case itself, then its guidance part (web course), if that was ever started. */
export async function inspectCase(
  deps: Pick<Deps, 'temporal' | 'config'>,
  app: { caseNumber: string; kind: string; workflowId: string },
): Promise<{ main: InspectedWorkflow | null; guidance: InspectedWorkflow | null }> {
  const [main, guidance] = await Promise.all([
    inspectWorkflow(deps, app.workflowId, kindOfCase(app.kind)),
    app.kind === 'webCourse' ? inspectWorkflow(deps, webCourseGuidanceWorkflowId(app.caseNumber), WEB_COURSE_GUIDANCE) : null,
  ]);
  return { main, guidance };
}

export function temporalUiUrl(config: Deps['config'], workflowId: string): string | null {
  if (!config.temporalUiUrl) return null;
  return `${config.temporalUiUrl}/namespaces/${encodeURIComponent(config.TEMPORAL_NAMESPACE)}/workflows/${encodeURIComponent(workflowId)}`;
}

const isoDate = (v: unknown): Date | null => {
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? null : v;
  if (typeof v !== 'string' || !v) return null;
  const at = new Date(v);
  return Number.isNaN(at.getTime()) ? null : at;
};
const code = (v: unknown): string | null => (typeof v === 'string' && v ? v : null);

/** null when Temporal has no such workflow (e.g. the guidance has not started yet). */
export async function inspectWorkflow(
  deps: Pick<Deps, 'temporal' | 'config'>,
  workflowId: string,
  kind: CaseKind,
): Promise<InspectedWorkflow | null> {
  const temporal: Client = deps.temporal;
  const handle = temporal.workflow.getHandle(workflowId);
  const base: InspectedWorkflow = {
    workflowId,
    kind,
    executionStatus: null,
    running: false,
    startedAt: null,
    closedAt: null,
    live: null,
    liveProblem: 'unavailable',
    status: null,
    waitingFor: null,
    waitingSince: null,
    timers: [],
    history: [],
    historyOmitted: 0,
    historyProblem: true,
    uiUrl: temporalUiUrl(deps.config, workflowId),
  };
  let described;
  try {
    described = await temporal.withDeadline(Date.now() + QUERY_TIMEOUT_MS, () => handle.describe());
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) return null;
    return base;
  }
  const attrs = described.typedSearchAttributes;
  const running = described.status.name === 'RUNNING';
  const view: InspectedWorkflow = {
    ...base,
    executionStatus: described.status.name,
    running,
    startedAt: described.startTime ?? null,
    closedAt: described.closeTime ?? null,
    liveProblem: running ? 'unavailable' : 'closed',
    status: code(attrs.get(CaseStatusKey)),
    waitingFor: code(attrs.get(WaitingForKey)),
    waitingSince: isoDate(attrs.get(WaitingSinceKey)),
  };

  const [live, history] = await Promise.all([
    running
      ? temporal
          .withDeadline(Date.now() + QUERY_TIMEOUT_MS, () => handle.query<Record<string, unknown>>(QUERIES[kind]))
          .catch(() => null)
      : Promise.resolve(null),
    temporal
      .withDeadline(Date.now() + HISTORY_TIMEOUT_MS, () => handle.fetchHistory())
      .then(historyEvents)
      .catch(() => null),
  ]);
  if (live) {
    view.live = live;
    view.liveProblem = null;
    view.status = code(live.status) ?? view.status;
    // The query is the live truth; the search attributes may lag a moment behind it.
    if ('waitingFor' in live) {
      view.waitingFor = code(live.waitingFor) ?? 'nothing';
      view.waitingSince = isoDate(live.waitingSince) ?? view.waitingSince;
    }
  }
  if (history) {
    const lines = historyLines(history);
    view.historyOmitted = Math.max(0, lines.length - HISTORY_LINES_SHOWN);
    view.history = lines.slice(-HISTORY_LINES_SHOWN);
    view.timers = running ? pendingTimers(history) : [];
    view.historyProblem = false;
  }
  return view;
}
