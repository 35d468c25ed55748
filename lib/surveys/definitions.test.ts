// A survey definition is checked before it is stored, and its questions decide what an answer may be.
import { describe, expect, it } from 'vitest';
import { SURVEY_SEEDS } from '../../prisma/seedSurveys';
import { checkAnswers, QuestionsSchema, type Question } from './definitions';
import { formatPairingCode, newPairingCode, parsePairingCode } from './pairing';

const questions: Question[] = QuestionsSchema.parse([
  { id: 'calm', type: 'scale', text: 'Lugn?' },
  { id: 'when', type: 'single', text: 'När?', options: [{ value: 'am', text: 'Morgon' }, { value: 'pm', text: 'Kväll' }] },
  { id: 'what', type: 'multiple', required: false, text: 'Vad?', options: [{ value: 'a', text: 'A' }, { value: 'b', text: 'B' }] },
  { id: 'note', type: 'text', required: false, text: 'Något mer?' },
]);

describe('survey definitions', () => {
  it('accepts every seeded survey, and pre/post ask the same scale questions', () => {
    for (const seed of SURVEY_SEEDS) expect(() => QuestionsSchema.parse(seed.questions)).not.toThrow();
    const ids = (kind: string) => SURVEY_SEEDS.find((s) => s.kind === kind)!.questions.map((q) => q.id);
    expect(ids('postMeasurement')).toEqual(ids('preMeasurement'));
  });

  it('refuses duplicate ids, duplicate options, a choice without options and reserved field names', () => {
    expect(QuestionsSchema.safeParse([{ id: 'a', type: 'scale', text: 'x' }, { id: 'a', type: 'text', text: 'y' }]).success).toBe(false);
    expect(QuestionsSchema.safeParse([{ id: 'a', type: 'single', text: 'x', options: [{ value: 'v', text: '1' }, { value: 'v', text: '2' }] }]).success).toBe(false);
    expect(QuestionsSchema.safeParse([{ id: 'a', type: 'multiple', text: 'x' }]).success).toBe(false);
    expect(QuestionsSchema.safeParse([{ id: 'pairingCode', type: 'text', text: 'x' }]).success).toBe(false);
    expect(QuestionsSchema.safeParse([{ id: 'a', type: 'slider', text: 'x' }]).success).toBe(false);
  });
});

describe('checking answers', () => {
  it('turns a valid form into typed answers and leaves unanswered optional questions out', () => {
    expect(checkAnswers(questions, { calm: '4', when: 'pm', what: ['b', 'a', 'b'], note: '  ', _csrf: 'x' })).toEqual({
      ok: true,
      answers: { calm: 4, when: 'pm', what: ['a', 'b'] },
    });
  });

  it.each([
    ['missing scale', { when: 'am' }, { calm: 'surveys.errors.required' }],
    ['scale 0', { calm: '0', when: 'am' }, { calm: 'surveys.errors.scale' }],
    ['scale 6', { calm: '6', when: 'am' }, { calm: 'surveys.errors.scale' }],
    ['decimal scale', { calm: '2.5', when: 'am' }, { calm: 'surveys.errors.scale' }],
    ['unknown option', { calm: '3', when: 'noon' }, { when: 'surveys.errors.option' }],
    ['unknown option among several', { calm: '3', when: 'am', what: ['a', 'z'] }, { what: 'surveys.errors.option' }],
    ['two values for one', { calm: ['3', '4'], when: 'am' }, { calm: 'surveys.errors.invalid' }],
    ['too long text', { calm: '3', when: 'am', note: 'x'.repeat(2001) }, { note: 'surveys.errors.tooLong' }],
    ['a file for a text', { calm: '3', when: 'am', note: new File(['x'], 'x.txt') }, { note: 'surveys.errors.invalid' }],
  ])('refuses %s', (_, form, errors) => {
    expect(checkAnswers(questions, form as Record<string, unknown>)).toEqual({ ok: false, errors });
  });
});

describe('pairing codes', () => {
  it('are 8 unambiguous characters, shown grouped, and read back however they are typed', () => {
    const code = newPairingCode();
    expect(code).toMatch(/^[A-HJKMNP-Z2-9]{8}$/);
    expect(formatPairingCode('K7F429QM')).toBe('K7F4-29QM');
    expect(parsePairingCode(' k7f4-29qm ')).toEqual({ ok: true, code: 'K7F429QM' });
    expect(parsePairingCode('')).toEqual({ ok: true, code: null });
    expect(parsePairingCode(undefined)).toEqual({ ok: true, code: null });
    expect(parsePairingCode('K7F4-29Q0')).toEqual({ ok: false }); // 0 is not in the alphabet
    expect(parsePairingCode('K7F4')).toEqual({ ok: false });
    expect(parsePairingCode(['K7F429QM'])).toEqual({ ok: false });
  });
});
