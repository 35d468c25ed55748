// A case workflow's history in plain words (R9.4): Temporal's events become short lines a
// supervisor reads — what the process did, what it waited for and which messages it got. The
// workflow-task bookkeeping is left out. Lines carry translation keys and codes; the page words them.
import type { History } from '@temporalio/common/lib/proto-utils';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import { CaseStatusKey, WaitingForKey } from '../../workflows/searchAttributes';
import { CASE_KINDS, CASE_STATUSES, WAITING_CODES } from './filters';

/** One history event in Temporal's JSON form (what historyToJSON and `temporal workflow show -o json` give). */
export interface JsonEvent {
  eventId: string;
  eventTime: string;
  eventType: string;
  [attributes: string]: unknown;
}

export interface HistoryLine {
  at: string;
  /** Under `inspector.history.` */
  key: string;
  /** A full translation key naming the activity, message, status or process the line is about. */
  label?: string;
  /** An instant the line mentions (when a timer fires). */
  when?: string;
}

export interface PendingTimer {
  timerId: string;
  startedAt: string;
  firesAt: string;
}

/** The case workflows' activities (activities/index.ts), each named under `inspector.activities.`; others read "another step". */
export const ACTIVITY_NAMES = [
  'sendCaseNotice',
  'loadCaseTimings',
  'courseSchedule',
  'openSurveyRound',
  'unansweredInRound',
  'finalEvaluationAnswered',
  'closeCase',
  'applyDecision',
  'moveCaseToQueue',
  'offerFreeSeats',
  'answerSeatOffer',
  'expireSeatOffer',
  'withdrawCase',
  'assignGuide',
  'moduleCount',
  'openModule',
  'signOffModule',
  'requestConsent',
  'remindManager',
  'recordManagerDecision',
  'closeConsentRequest',
  'expireConsent',
  'applyInstructorDecision',
  'sendEnrolmentNotice',
  'invoicePaid',
  'markInvoiceReminded',
  'issueEnrolmentCertificate',
  'changeOfferDeadline',
  'changeConsentDeadline',
  'changeInvoiceDueDate',
  'setApproval',
] as const;

/** Signals and updates the case workflows take or send, each named under `inspector.messages.`. */
export const MESSAGE_NAMES = [
  'decide',
  'withdraw',
  'answerOffer',
  'moveToQueue',
  'seatOffered',
  'scheduleChanged',
  'surveyAnswered',
  'guidanceFinished',
  'managerDecision',
  'instructorDecision',
  'invoiceIssued',
  'invoicePaid',
  'issueCertificate',
  'signOffModule',
  'parentActive',
  'stopGuidance',
  'changeDeadline',
  'markApproved',
] as const;

const known = (list: readonly string[], name: unknown): name is string => typeof name === 'string' && list.includes(name);
const activityLabel = (name: unknown) => (known(ACTIVITY_NAMES, name) ? `inspector.activities.${name}` : 'inspector.activities.other');
const messageLabel = (name: unknown) => (known(MESSAGE_NAMES, name) ? `inspector.messages.${name}` : 'inspector.messages.other');
const kindLabel = (name: unknown) => (known(CASE_KINDS, name) ? `caseKinds.${name}` : 'inspector.kinds.other');

/** The events of a fetched history, in Temporal's JSON form. */
export function historyEvents(history: History): JsonEvent[] {
  return ((JSON.parse(historyToJSON(history)) as { events?: JsonEvent[] }).events ?? []) as JsonEvent[];
}

type Attrs = Record<string, unknown>;
const attrs = (e: JsonEvent, name: string): Attrs => (e[name] ?? {}) as Attrs;
const nameOf = (v: unknown) => (v as { name?: unknown } | undefined)?.name;

/** A proto JSON duration ("86400s", "1.5s") in milliseconds; 0 if absent or odd. */
export function durationMs(value: unknown): number {
  const match = typeof value === 'string' ? /^(\d+(?:\.\d+)?)s$/.exec(value) : null;
  return match ? Math.round(Number(match[1]) * 1000) : 0;
}

function addMs(iso: string, ms: number): string {
  return new Date(new Date(iso).getTime() + ms).toISOString();
}

/** A JSON payload's value, from its data (base64 in the JSON history form); undefined if absent or odd. */
function payloadValue(data: string | undefined): unknown {
  if (!data) return undefined;
  try {
    return JSON.parse(Buffer.from(data, 'base64').toString('utf8')) as unknown;
  } catch {
    return undefined;
  }
}

/** A search attribute's value from an upsert's payload. */
function upsertedValue(e: JsonEvent, name: string): string | null {
  const fields = (attrs(e, 'upsertWorkflowSearchAttributesEventAttributes').searchAttributes as { indexedFields?: Record<string, { data?: string }> } | undefined)
    ?.indexedFields;
  const value = payloadValue(fields?.[name]?.data);
  return typeof value === 'string' ? value : null;
}

/** A local activity's marker names its activity in its data. */
function localActivityType(marker: Attrs): unknown {
  const data = (marker.details as { data?: { payloads?: { data?: string }[] } } | undefined)?.data?.payloads?.[0]?.data;
  return (payloadValue(data) as { activity_type?: unknown } | undefined)?.activity_type;
}

/** The history as lines, oldest first. */
export function historyLines(events: readonly JsonEvent[]): HistoryLine[] {
  const scheduled = new Map<string, unknown>();
  const lines: HistoryLine[] = [];
  const push = (e: JsonEvent, key: string, extra: Omit<HistoryLine, 'at' | 'key'> = {}) => lines.push({ at: e.eventTime, key, ...extra });
  for (const e of events) {
    switch (e.eventType) {
      case 'EVENT_TYPE_WORKFLOW_EXECUTION_STARTED': {
        const a = attrs(e, 'workflowExecutionStartedEventAttributes');
        push(e, a.continuedExecutionRunId ? 'continuedFrom' : 'started', { label: kindLabel(nameOf(a.workflowType)) });
        break;
      }
      case 'EVENT_TYPE_ACTIVITY_TASK_SCHEDULED': {
        const name = nameOf(attrs(e, 'activityTaskScheduledEventAttributes').activityType);
        scheduled.set(e.eventId, name);
        push(e, 'activityScheduled', { label: activityLabel(name) });
        break;
      }
      case 'EVENT_TYPE_ACTIVITY_TASK_COMPLETED':
      case 'EVENT_TYPE_ACTIVITY_TASK_FAILED':
      case 'EVENT_TYPE_ACTIVITY_TASK_TIMED_OUT':
      case 'EVENT_TYPE_ACTIVITY_TASK_CANCELED': {
        const field = {
          EVENT_TYPE_ACTIVITY_TASK_COMPLETED: ['activityTaskCompletedEventAttributes', 'activityCompleted'],
          EVENT_TYPE_ACTIVITY_TASK_FAILED: ['activityTaskFailedEventAttributes', 'activityFailed'],
          EVENT_TYPE_ACTIVITY_TASK_TIMED_OUT: ['activityTaskTimedOutEventAttributes', 'activityTimedOut'],
          EVENT_TYPE_ACTIVITY_TASK_CANCELED: ['activityTaskCanceledEventAttributes', 'activityCancelled'],
        }[e.eventType];
        const scheduledId = String(attrs(e, field[0]).scheduledEventId ?? '');
        push(e, field[1], { label: activityLabel(scheduled.get(scheduledId)) });
        break;
      }
      case 'EVENT_TYPE_MARKER_RECORDED': {
        // A local activity (a notice, workflows/activities.ts) leaves one marker when it is done.
        const a = attrs(e, 'markerRecordedEventAttributes');
        if (a.markerName === 'core_local_activity') push(e, a.failure ? 'activityFailed' : 'activityCompleted', { label: activityLabel(localActivityType(a)) });
        break;
      }
      case 'EVENT_TYPE_TIMER_STARTED': {
        const a = attrs(e, 'timerStartedEventAttributes');
        push(e, 'timerStarted', { when: addMs(e.eventTime, durationMs(a.startToFireTimeout)) });
        break;
      }
      case 'EVENT_TYPE_TIMER_FIRED':
        push(e, 'timerFired');
        break;
      case 'EVENT_TYPE_TIMER_CANCELED':
        push(e, 'timerCancelled');
        break;
      case 'EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED':
        push(e, 'signalReceived', { label: messageLabel(attrs(e, 'workflowExecutionSignaledEventAttributes').signalName) });
        break;
      case 'EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED': {
        const request = attrs(e, 'workflowExecutionUpdateAcceptedEventAttributes').acceptedRequest as { input?: { name?: unknown } } | undefined;
        push(e, 'updateAccepted', { label: messageLabel(request?.input?.name) });
        break;
      }
      case 'EVENT_TYPE_SIGNAL_EXTERNAL_WORKFLOW_EXECUTION_INITIATED':
        push(e, 'signalSent', { label: messageLabel(attrs(e, 'signalExternalWorkflowExecutionInitiatedEventAttributes').signalName) });
        break;
      case 'EVENT_TYPE_START_CHILD_WORKFLOW_EXECUTION_INITIATED':
        push(e, 'childStarted', { label: kindLabel(nameOf(attrs(e, 'startChildWorkflowExecutionInitiatedEventAttributes').workflowType)) });
        break;
      case 'EVENT_TYPE_UPSERT_WORKFLOW_SEARCH_ATTRIBUTES': {
        const status = upsertedValue(e, CaseStatusKey.name);
        if (known(CASE_STATUSES, status)) push(e, 'statusChanged', { label: `status.${status}` });
        const waiting = upsertedValue(e, WaitingForKey.name);
        if (known(WAITING_CODES, waiting)) push(e, waiting === 'nothing' ? 'waitingForNothing' : 'waitingFor', { label: `inspector.waitingFor.${waiting}` });
        break;
      }
      case 'EVENT_TYPE_WORKFLOW_EXECUTION_CONTINUED_AS_NEW':
        push(e, 'continuedAsNew');
        break;
      case 'EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED':
        push(e, 'completed');
        break;
      case 'EVENT_TYPE_WORKFLOW_EXECUTION_FAILED':
        push(e, 'failed');
        break;
      case 'EVENT_TYPE_WORKFLOW_EXECUTION_TERMINATED':
        push(e, 'terminated');
        break;
      case 'EVENT_TYPE_WORKFLOW_EXECUTION_CANCELED':
        push(e, 'cancelled');
        break;
      case 'EVENT_TYPE_WORKFLOW_EXECUTION_TIMED_OUT':
        push(e, 'timedOut');
        break;
      default:
      // Workflow tasks, the other side's confirmations: bookkeeping, not the case.
    }
  }
  return lines;
}

/** Timers started and neither fired nor cancelled: when the process will next wake by itself. */
export function pendingTimers(events: readonly JsonEvent[]): PendingTimer[] {
  const started = new Map<string, PendingTimer>();
  for (const e of events) {
    if (e.eventType === 'EVENT_TYPE_TIMER_STARTED') {
      const a = attrs(e, 'timerStartedEventAttributes');
      started.set(e.eventId, { timerId: String(a.timerId ?? ''), startedAt: e.eventTime, firesAt: addMs(e.eventTime, durationMs(a.startToFireTimeout)) });
    } else if (e.eventType === 'EVENT_TYPE_TIMER_FIRED' || e.eventType === 'EVENT_TYPE_TIMER_CANCELED') {
      const a = attrs(e, e.eventType === 'EVENT_TYPE_TIMER_FIRED' ? 'timerFiredEventAttributes' : 'timerCanceledEventAttributes');
      started.delete(String(a.startedEventId ?? ''));
    }
  }
  return [...started.values()].sort((a, b) => a.firesAt.localeCompare(b.firesAt));
}
