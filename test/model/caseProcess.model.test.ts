// The case process, proven by a model-based test (issue 13): random sequences of what citizens and
// staff do — apply, decide (one and in bulk), withdraw, answer an offer, move a deadline, move a
// session, book a room, mark attendance, sign a module off, mark "Godkänd", issue certificates —
// run through the real web app against the real stack (Temporal dev server, PostgreSQL, worker and
// activities). After every step the invariants hold (test/model/invariants.ts), and a refused
// command changed nothing (test/model/commands/step.ts).
//
// `npm test` runs a few short sequences with a printed seed; `npm run test:model -- --runs N --seed S`
// runs more, or replays a failure (MODEL_RUNS, MODEL_SEED, MODEL_STEPS reach this file as env).
import fc from 'fast-check';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createApp } from '../../web/app';
import { startStack, type TestStack } from '../support/stack';
import { AnswerOffer, Apply, BulkDecide, ChangeDeadline, Decide, SignOff, Withdraw, WriteDiary } from './commands/parent';
import { BookRoom, MoveSession } from './commands/schedule';
import { Enrol, InstructorDecide, IssueCertificates, MarkApproved, MarkAttendance } from './commands/training';
import type { Step } from './commands/step';
import { checkInvariants } from './invariants';
import { buildWorld, type Model } from './world';

const RUNS = Number(process.env.MODEL_RUNS ?? 3);
const STEPS = Number(process.env.MODEL_STEPS ?? 14);
const SEED = process.env.MODEL_SEED ? Number(process.env.MODEL_SEED) : Date.now() ^ (Math.random() * 0x7fffffff);

let stack: TestStack;
let app: ReturnType<typeof createApp>;

beforeAll(async () => {
  stack = await startStack();
  app = createApp(stack.deps);
});
afterAll(async () => stack?.stop());

const target = fc.nat(20);
const decision = fc.constantFrom('admit' as const, 'queue' as const);
const training = fc.constantFrom(0, 0, 1);
const mostly = fc.constantFrom(true, true, true, false);

const commands = [
  // Applications come first and often: without cases little else can happen.
  fc.integer({ min: 0, max: 2 }).map((course) => new Apply(course)),
  fc.integer({ min: 0, max: 2 }).map((course) => new Apply(course)),
  fc.tuple(target, decision).map(([t, d]) => new Decide(t, d)),
  fc.tuple(target, decision).map(([t, d]) => new Decide(t, d, true)),
  target.map((t) => new Decide(t, 'admit', true)),
  fc.tuple(fc.array(target, { minLength: 2, maxLength: 4 }), decision).map(([ts, d]) => new BulkDecide(ts, d)),
  fc.tuple(target, fc.boolean()).map(([t, byStaff]) => new Withdraw(t, byStaff)),
  fc.tuple(target, fc.boolean()).map(([t, accept]) => new AnswerOffer(t, accept)),
  fc.tuple(target, fc.constantFrom(-24, 3, 30, 72)).map(([t, h]) => new ChangeDeadline(t, h)),
  target.map((t) => new WriteDiary(t)),
  fc.tuple(target, fc.integer({ min: 1, max: 3 })).map(([t, n]) => new SignOff(t, n)),
  fc.tuple(fc.nat(3), fc.constantFrom(-1, 20, 21), fc.constantFrom(17, 18), fc.nat(1)).map(([s, d, h, r]) => new MoveSession(s, d, h, r)),
  fc.tuple(fc.nat(3), fc.nat(1)).map(([s, r]) => new BookRoom(s, r)),
  // The training that took place is drawn more often: its chain (admit, attendance, "Godkänd",
  // certificate) is the long one to reach.
  training.map((t) => new Enrol(t)),
  fc.tuple(target, decision).map(([t, d]) => new InstructorDecide(t, d)),
  target.map((t) => new InstructorDecide(t, 'admit', true)),
  fc.tuple(training, fc.nat(1), fc.array(mostly, { maxLength: 3 })).map(([t, s, p]) => new MarkAttendance(t, s, p)),
  fc.tuple(training, fc.nat(1), fc.array(mostly, { maxLength: 3 })).map(([t, s, p]) => new MarkAttendance(t, s, p)),
  fc.tuple(target, mostly).map(([t, a]) => new MarkApproved(t, a)),
  training.map((t) => new IssueCertificates(t)),
];

it(
  'keeps every invariant of the case process through random sequences of citizen and staff commands',
  async () => {
    console.log(`[model] seed ${SEED}, ${RUNS} runs of up to ${STEPS} steps — replay: npm run test:model -- --runs ${RUNS} --seed ${SEED}`);
    // Every run opens with a few applications and enrolments, so that the random steps meet cases.
    const opening = fc.array(
      fc.oneof(fc.integer({ min: 0, max: 2 }).map((course) => new Apply(course) as Step), training.map((t) => new Enrol(t) as Step)),
      { minLength: 4, maxLength: 7 },
    );
    const property = fc.asyncProperty(opening, fc.commands(commands, { maxCommands: STEPS, size: 'max' }), async (first, cmds) => {
      const setup = async () => {
        if (process.env.MODEL_VERBOSE) console.log('[model] a new run');
        const world = await buildWorld(stack.deps, app);
        const model: Model = { parents: [], professionals: [] };
        await checkInvariants(world, model);
        return { model, real: world };
      };
      await fc.asyncModelRun(setup, [...first, ...cmds]);
    });
    const details = await fc.check(property, { numRuns: RUNS, seed: SEED, endOnFailure: process.env.MODEL_SHRINK !== '1', verbose: 1 });
    if (details.failed) {
      console.error(`[model] failed with seed ${SEED}: ${fc.defaultReportMessage(details)}`);
      console.error(`[model] replay: npm run test:model -- --runs ${RUNS} --seed ${SEED}`);
    }
    expect(details.failed, details.failed ? fc.defaultReportMessage(details) : '').toBe(false);
  },
  30 * 60_000,
);
