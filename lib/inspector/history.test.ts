// The inspector's words for a workflow history, and its visibility query, checked without a server:
// recorded histories (workflows/histories) give real events; every name used has a translation.
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createActivities, type ActivityDeps } from '../../activities';
import { dictionaries } from '../i18n';
import * as parentMessages from '../../workflows/parentApplication.messages';
import * as enrolmentMessages from '../../workflows/professionalEnrolment.messages';
import * as guidanceMessages from '../../workflows/webCourseGuidance.messages';
import * as caseMessages from '../../workflows/case.messages';
import { CASE_KINDS, literal, parseInspectorQuery, visibilityQuery } from './filters';
import { ACTIVITY_NAMES, durationMs, historyLines, MESSAGE_NAMES, pendingTimers, type JsonEvent } from './history';

const HISTORIES = new URL('../../workflows/histories/', import.meta.url);
const recorded = (name: string) => (JSON.parse(readFileSync(new URL(name, HISTORIES), 'utf8')) as { events: JsonEvent[] }).events;

function lookup(dict: Record<string, unknown>, key: string): unknown {
  return key.split('.').reduce<unknown>((node, part) => (node as Record<string, unknown> | undefined)?.[part], dict);
}

describe('history lines', () => {
  it('names activities that exist, and every message of the case workflows', () => {
    // Activities of processes the inspector does not list (archiving, say) may go unnamed; the
    // recorded case histories below must not meet an unnamed one.
    const activities = Object.keys(createActivities({ db: {}, mailer: {}, sms: {}, config: { publicUrl: 'http://x' } } as unknown as ActivityDeps));
    expect(activities).toEqual(expect.arrayContaining([...ACTIVITY_NAMES]));
    const messages = [parentMessages, enrolmentMessages, guidanceMessages, caseMessages]
      .flatMap((m) => Object.values(m))
      .filter((v): v is { type: string; name: string } => typeof v === 'object' && v !== null && 'type' in v && (v.type === 'signal' || v.type === 'update'))
      .map((v) => v.name);
    expect([...new Set(messages)].sort()).toEqual([...MESSAGE_NAMES].sort());
  });

  it('words every recorded case history with translated names only, and leaves the workflow tasks out', () => {
    // The case workflows' histories (other processes record theirs beside them).
    const files = readdirSync(HISTORIES).filter((f) => f.endsWith('.json') && CASE_KINDS.some((k) => f.startsWith(`${k}-`)));
    expect(files.length).toBeGreaterThanOrEqual(3);
    for (const file of files) {
      const lines = historyLines(recorded(file));
      expect(lines.length).toBeGreaterThan(3);
      // A run continued as new begins by saying where it came from.
      expect(lines[0].key).toBe(file.includes('continuedAsNew') ? 'continuedFrom' : 'started');
      for (const line of lines) {
        for (const lang of ['sv', 'en'] as const) {
          expect(typeof lookup(dictionaries[lang], `inspector.history.${line.key}`), `${file}: ${line.key}`).toBe('string');
          if (line.label) expect(typeof lookup(dictionaries[lang], line.label), `${file}: ${line.label}`).toBe('string');
        }
        expect(line.label ?? '').not.toMatch(/\.other$/);
      }
      expect(lines.some((l) => /workflowTask/i.test(l.key))).toBe(false);
    }
  });

  it('follows a case from start to completion', () => {
    const lines = historyLines(recorded('parentApplication-completed.json'));
    const keys = lines.map((l) => `${l.key}${l.label ? ` ${l.label}` : ''}`);
    expect(keys).toEqual(
      expect.arrayContaining([
        'started caseKinds.parentApplication',
        'activityScheduled inspector.activities.sendCaseNotice',
        'activityCompleted inspector.activities.sendCaseNotice',
        'updateAccepted inspector.messages.decide',
        'statusChanged status.admitted',
        'signalReceived inspector.messages.surveyAnswered',
        'timerStarted',
        'timerFired',
        'completed',
      ]),
    );
    const timer = lines.find((l) => l.key === 'timerStarted')!;
    expect(Date.parse(timer.when!)).toBeGreaterThan(Date.parse(timer.at));
  });

  it('words a notice sent as a local activity (one marker) like one sent as an activity, and leaves patch markers out', () => {
    const lines = historyLines(recorded('parentApplication-completed-localNotices.json'));
    const keys = lines.map((l) => `${l.key}${l.label ? ` ${l.label}` : ''}`);
    expect(keys).toContain('activityCompleted inspector.activities.sendCaseNotice');
    expect(keys).not.toContain('activityScheduled inspector.activities.sendCaseNotice');
    expect(lines.filter((l) => l.key === 'activityCompleted' && !l.label)).toEqual([]);
    const markers = recorded('parentApplication-completed-localNotices.json').filter((e) => e.eventType === 'EVENT_TYPE_MARKER_RECORDED');
    const localActivities = markers.filter((e) => (e.markerRecordedEventAttributes as { markerName?: string }).markerName === 'core_local_activity');
    expect(localActivities.length).toBeGreaterThan(0);
    expect(lines.filter((l) => l.key === 'activityCompleted' || l.key === 'activityFailed').length).toBeGreaterThanOrEqual(localActivities.length);
  });

  it('finds the timers still pending: started, neither fired nor cancelled, with their fire time', () => {
    const events = recorded('parentApplication-completed.json');
    expect(pendingTimers(events)).toEqual([]);
    const started = events.findIndex((e) => e.eventType === 'EVENT_TYPE_TIMER_STARTED');
    const [pending] = pendingTimers(events.slice(0, started + 1));
    const event = events[started];
    const timeout = (event.timerStartedEventAttributes as { startToFireTimeout: string }).startToFireTimeout;
    expect(pending.firesAt).toBe(new Date(Date.parse(event.eventTime) + durationMs(timeout)).toISOString());
    expect(durationMs('86400s')).toBe(86_400_000);
    expect(durationMs('1.5s')).toBe(1500);
    expect(durationMs(undefined)).toBe(0);
  });
});

describe('visibility query', () => {
  const known = { districts: new Set(['sodermalm']), courses: new Set(['7f1c1d9e-7a35-4d32-9d7b-2a8e2f0c9a11']) };

  it('holds only known codes, each quoted, and running cases unless closed ones are asked for', () => {
    const parsed = parseInspectorQuery(
      { kind: 'parentApplication', district: 'sodermalm', status: 'submitted', waitingFor: 'decision', waitingDays: '7', caseNumber: ' kom-2026-000001 ' },
      known,
    );
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(parsed.filter.caseNumber).toBe('KOM-2026-000001');
    const query = visibilityQuery(parsed.filter, new Date('2026-03-10T12:00:00Z'));
    expect(query).toBe(
      "KometKind = 'parentApplication' AND ExecutionStatus = 'Running' AND KometCaseNumber = 'KOM-2026-000001' AND KometDistrict = 'sodermalm' " +
        "AND KometStatus = 'submitted' AND KometWaitingFor = 'decision' AND KometWaitingSince < '2026-03-03T12:00:00.000Z'",
    );
    const all = parseInspectorQuery({ includeClosed: '1' }, known);
    expect(all.ok && visibilityQuery(all.filter)).toBe("KometKind IN ('parentApplication', 'professionalEnrolment', 'webCourseGuidance')");
  });

  it('refuses anything else, and a quote never reaches a literal', () => {
    const parsed = parseInspectorQuery({ kind: "parentApplication' OR 'x'='x", district: 'bromma', course: 'not-a-uuid', waitingDays: '1.5' }, known);
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.errors).toEqual({
      kind: 'inspector.errors.kind',
      district: 'inspector.errors.district',
      course: 'inspector.errors.course',
      waitingDays: 'inspector.errors.waitingDays',
    });
    expect(() => literal("a'b")).toThrow();
    expect(() => literal('a b')).toThrow();
  });
});
