// A parent's case through the web: applying, the leader's decisions (one and in bulk), withdrawing
// (by the parent or staff), answering a seat offer, a moved answer deadline, and the web course's
// diary and sign-off.
import { randomUUID } from 'node:crypto';
import { expect } from 'vitest';
import { formatTime, stockholmDateString } from '../../../lib/time';
import { parentApplicationWorkflowId } from '../../../workflows/parentApplication.messages';
import { nextPersonnummer } from '../../support/personnummer';
import { VALID_FORM, WebClient } from '../../support/webClient';
import { listed, pick, type Model, type ParentCase, type World } from '../world';
import { locationOf, refusedBy, Step, type Outcome } from './step';
import { AWAITING_DECISION_STATUSES } from '../../../rules/caseStatus';
import { untilWaitingFor } from '../../support/parentApplies';

const MAX_CASES = 6;

export class Apply extends Step {
  constructor(readonly course: number) {
    super();
  }
  check = (m: Readonly<Model>) => m.parents.length < MAX_CASES;
  toString = () => `Apply(${this.course})`;
  protected async act(m: Model, w: World): Promise<Outcome> {
    const web = this.course === 2;
    const courseId = web ? w.webCourseId : w.groupCourseIds[this.course];
    const client = new WebClient(w.app);
    await client.login(w.deps.db, `modell-${randomUUID().slice(0, 8)}@example.org`);
    const res = await client.post(`/kurser/${courseId}/ansok`, { ...VALID_FORM, personnummer: nextPersonnummer(), submissionKey: randomUUID() });
    expect(res.status).toBe(303);
    const caseNumber = /KOM-\d{4}-\d{6}/.exec(locationOf(res))![0];
    const workflowId = parentApplicationWorkflowId(caseNumber);
    await untilWaitingFor(w.deps.temporal.workflow.getHandle(workflowId), 'decision');
    m.parents.push({ caseNumber, workflowId, client, course: web ? 'web' : 'group' });
    return 'done';
  }
}

const hasParents = (m: Readonly<Model>) => m.parents.length > 0;

/** The leader's decision on one case (admit or place in the queue). */
export class Decide extends Step {
  /** `fromList`: a case waiting for a decision (or in the queue), as the working list shows them. */
  constructor(readonly target: number, readonly decision: 'admit' | 'queue', readonly fromList = false) {
    super();
  }
  check = hasParents;
  toString = () => `Decide(${this.target}, ${this.decision}${this.fromList ? ', from the list' : ''})`;
  protected async act(m: Model, w: World): Promise<Outcome> {
    const c = pick(await listed(w, m.parents, this.fromList ? AWAITING_DECISION_STATUSES : null), this.target);
    const res = await w.admin.post(`/personal/ansokningar/${c.caseNumber}/beslut`, { decision: this.decision });
    refusedBy(res, []);
    const outcome = new URL(locationOf(res), 'http://x').searchParams.get('beslut');
    return outcome === 'admitted' || outcome === 'queued' ? 'done' : 'refused';
  }
}

/** The working list's bulk decision, confirmed; the summary tells each case's outcome. */
export class BulkDecide extends Step {
  constructor(readonly targets: number[], readonly decision: 'admit' | 'queue') {
    super();
  }
  check = hasParents;
  toString = () => `BulkDecide([${this.targets}], ${this.decision})`;
  protected async act(m: Model, w: World): Promise<Outcome> {
    const cases = [...new Set(this.targets.map((t) => pick(m.parents, t).caseNumber))];
    const body = new URLSearchParams({ _csrf: w.admin.cookie('komet_csrf') ?? '', decision: this.decision, confirm: 'yes' });
    for (const n of cases) body.append('cases', n);
    const res = await w.admin.send('/personal/ansokningar/massbeslut', {
      method: 'POST',
      body,
      headers: { origin: 'http://localhost', 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(res.status).toBe(200);
    // Some of the cases may be taken, others refused: no single promise to check.
    return 'unknown';
  }
}

/** Withdrawn by the parent ("Återta") or removed by staff. */
export class Withdraw extends Step {
  constructor(readonly target: number, readonly byStaff: boolean) {
    super();
  }
  check = hasParents;
  toString = () => `Withdraw(${this.target}, ${this.byStaff ? 'staff' : 'parent'})`;
  protected async act(m: Model, w: World): Promise<Outcome> {
    // Mostly someone holding a seat: that frees it and offers it on.
    const c = pick(await listed(w, m.parents, this.target % 3 ? 'admitted' : null), this.target);
    if (this.byStaff) {
      const res = await w.admin.post(`/personal/ansokningar/${c.caseNumber}/ta-bort`, {});
      refusedBy(res, []);
      return locationOf(res).includes('nekad=') ? 'refused' : 'done';
    }
    const res = await c.client.post(`/mina-arenden/${c.caseNumber}/aterta`, {});
    return refusedBy(res, [409]) ? 'refused' : 'done';
  }
}

export class AnswerOffer extends Step {
  /** Mostly a parent who holds an offer answers (the one who sees the button). */
  constructor(readonly target: number, readonly accept: boolean) {
    super();
  }
  check = hasParents;
  toString = () => `AnswerOffer(${this.target}, ${this.accept ? 'accept' : 'decline'})`;
  protected async act(m: Model, w: World): Promise<Outcome> {
    const c = pick(await listed(w, m.parents, this.target % 4 ? 'offered' : null), this.target);
    const res = await c.client.post(`/mina-arenden/${c.caseNumber}/erbjudande`, { answer: this.accept ? 'accept' : 'decline' });
    refusedBy(res, []);
    return locationOf(res).includes('nekad=') ? 'refused' : 'done';
  }
}

/** Staff move the answer deadline of a seat offer: into the past (refused), or hours or days ahead. */
export class ChangeDeadline extends Step {
  constructor(readonly target: number, readonly hoursAhead: number) {
    super();
  }
  check = hasParents;
  toString = () => `ChangeDeadline(${this.target}, ${this.hoursAhead}h)`;
  protected async act(m: Model, w: World): Promise<Outcome> {
    const c = pick(await listed(w, m.parents, this.target % 4 ? 'offered' : null), this.target);
    const at = new Date(Math.ceil((Date.now() + this.hoursAhead * 3_600_000) / 60_000) * 60_000);
    const res = await w.admin.post(`/personal/ansokningar/${c.caseNumber}/tidsfrist`, {
      choice: 'offerAnswer',
      date: stockholmDateString(at),
      time: formatTime(at, 'sv'),
      reason: 'Modelltest: föräldern har bett om en annan tid.',
    });
    return refusedBy(res, [422]) ? 'refused' : 'done';
  }
}

const webParents = (m: Readonly<Model>) => m.parents.filter((p) => p.course === 'web');

/** The web-course parent writes their diary note for the module they are in. */
export class WriteDiary extends Step {
  constructor(readonly target: number) {
    super();
  }
  check = (m: Readonly<Model>) => webParents(m).length > 0;
  toString = () => `WriteDiary(${this.target})`;
  protected async act(m: Model, w: World): Promise<Outcome> {
    // Mostly a parent who is in the course (the others have no diary to write in).
    const c = pick(await listed(w, webParents(m), this.target % 4 ? 'admitted' : null), this.target);
    const res = await c.client.post(`/mina-arenden/${c.caseNumber}/webbkurs/dagbok`, { body: 'Vi övade på beröm i kväll.' });
    // No module open (not admitted, or finished): the page refuses.
    return refusedBy(res, [404, 409, 422]) ? 'refused' : 'done';
  }
}

/** The parent's guide signs a module off: the one the parent is in (module 0), or the one given. */
export class SignOff extends Step {
  constructor(readonly target: number, readonly moduleNumber: number) {
    super();
  }
  check = (m: Readonly<Model>) => webParents(m).length > 0;
  toString = () => `SignOff(${this.target}, module ${this.moduleNumber || 'now'})`;
  protected async act(m: Model, w: World): Promise<Outcome> {
    const c: ParentCase = pick(await listed(w, webParents(m), this.target % 4 ? 'admitted' : null), this.target);
    const row = await w.deps.db.application.findUniqueOrThrow({ where: { caseNumber: c.caseNumber } });
    // Not admitted yet: no guide has the parent; any guide finds no such parent.
    const guide = (row.guideId && w.guides.get(row.guideId)) || [...w.guides.values()][0];
    const moduleNumber = this.moduleNumber || (row.currentModule ?? 1);
    const res = await guide.post(`/guide/${c.caseNumber}/godkann`, { moduleNumber: String(moduleNumber) });
    if (refusedBy(res, [404])) return 'refused';
    return locationOf(res).includes('fel=') ? 'refused' : 'done';
  }
}
