// Version 1 of the six surveys (R2.7, R4.2–R4.4, R5.2, R5.5). Questions are data: a new version of a
// kind is a new row, and answers keep the version they were given to. Swedish first, with English.
import type { z } from 'zod';
import type { Db } from '../lib/db';
import { QuestionsSchema } from '../lib/surveys/definitions';
import type { SurveyKind } from '../lib/surveys/invitations';

type QuestionsInput = z.input<typeof QuestionsSchema>;

/**
 * The pre- and post-measurement ask the same scale questions, so answers pair up (R4.3, R4.4).
 * Every statement is worded so that a higher value is better: post − pre > 0 means improvement.
 */
const BEHAVIOUR_SCALES: QuestionsInput = [
  { id: 'childListens', type: 'scale', anchors: 'agree', text: 'Mitt barn gör oftast som jag ber om utan långa diskussioner.', translations: { en: 'My child usually does what I ask without long arguments.' } },
  { id: 'childCalms', type: 'scale', anchors: 'agree', text: 'Mitt barn kan lugna sig själv när det blivit argt eller ledset.', translations: { en: 'My child can calm down when angry or upset.' } },
  { id: 'childGetsAlong', type: 'scale', anchors: 'agree', text: 'Mitt barn kommer överens med syskon och kamrater.', translations: { en: 'My child gets on with siblings and friends.' } },
  { id: 'parentPraises', type: 'scale', anchors: 'agree', text: 'Jag berömmer mitt barn när det gör något bra.', translations: { en: 'I praise my child when they do something good.' } },
  { id: 'parentCalm', type: 'scale', anchors: 'agree', text: 'Jag kan hålla mig lugn när mitt barn är argt eller trotsigt.', translations: { en: 'I can stay calm when my child is angry or defiant.' } },
  { id: 'parentConfident', type: 'scale', anchors: 'agree', text: 'Jag känner mig trygg i min roll som förälder.', translations: { en: 'I feel confident in my role as a parent.' } },
  { id: 'everydayWorks', type: 'scale', anchors: 'agree', text: 'Vardagen hemma fungerar bra, till exempel morgnar, måltider och läggning.', translations: { en: 'Everyday life at home works well, for example mornings, meals and bedtime.' } },
];

export const SURVEY_SEEDS: { kind: SurveyKind; title: string; questions: QuestionsInput }[] = [
  {
    kind: 'sessionEvaluation',
    title: 'Utvärdering av dagens träff',
    questions: [
      { id: 'useful', type: 'scale', text: 'Hur användbart var dagens tema för dig och din vardag?', translations: { en: "How useful was today's theme for you and your everyday life?" } },
      { id: 'understood', type: 'scale', text: 'Hur väl förstod du det vi gick igenom och övade på?', translations: { en: 'How well did you understand what we went through and practised?' } },
      { id: 'listenedTo', type: 'scale', text: 'Hur väl kände du dig lyssnad på i gruppen?', translations: { en: 'How well did you feel listened to in the group?' } },
      { id: 'willTry', type: 'scale', text: 'Hur troligt är det att du prövar hemuppgiften den här veckan?', translations: { en: "How likely is it that you will try this week's home task?" } },
      { id: 'best', type: 'text', required: false, text: 'Vad var det bästa med dagens träff?', translations: { en: "What was the best part of today's session?" } },
      { id: 'improve', type: 'text', required: false, text: 'Finns det något vi kan göra bättre?', translations: { en: 'Is there anything we could do better?' } },
    ],
  },
  {
    kind: 'progress',
    title: 'Hur går det hemma?',
    questions: [
      { id: 'praise', type: 'scale', anchors: 'frequency', text: 'Den senaste veckan har jag berömt mitt barn när det gjort något bra.', translations: { en: 'In the past week I have praised my child for doing something good.' } },
      { id: 'clearRequests', type: 'scale', anchors: 'frequency', text: 'Den senaste veckan har jag gett korta och tydliga uppmaningar.', translations: { en: 'In the past week I have given short, clear instructions.' } },
      { id: 'ownTime', type: 'scale', anchors: 'frequency', text: 'Den senaste veckan har jag haft egen tid med mitt barn, på barnets villkor.', translations: { en: "In the past week I have spent one-to-one time with my child, on the child's terms." } },
      { id: 'stayedCalm', type: 'scale', anchors: 'frequency', text: 'Den senaste veckan har jag hållit mig lugn i konflikter.', translations: { en: 'In the past week I have stayed calm in conflicts.' } },
      { id: 'hardest', type: 'text', required: false, text: 'Vad har varit svårast att pröva hemma?', translations: { en: 'What has been hardest to try at home?' } },
    ],
  },
  { kind: 'preMeasurement', title: 'Förmätning: ditt barn och du', questions: BEHAVIOUR_SCALES },
  { kind: 'postMeasurement', title: 'Eftermätning: ditt barn och du', questions: BEHAVIOUR_SCALES },
  {
    kind: 'childBehaviour',
    title: 'Barnets beteende hemma',
    questions: [
      { id: 'listens', type: 'scale', anchors: 'frequency', text: 'Mitt barn lyssnar när jag pratar med det.', translations: { en: 'My child listens when I talk to them.' } },
      { id: 'outbursts', type: 'scale', anchors: 'frequency', text: 'Mitt barn får utbrott när det inte får som det vill.', translations: { en: "My child has outbursts when they don't get their way." } },
      { id: 'considerate', type: 'scale', anchors: 'frequency', text: 'Mitt barn tar hänsyn till andra i familjen.', translations: { en: 'My child shows consideration for others in the family.' } },
      {
        id: 'conflictFrequency',
        type: 'single',
        text: 'Hur ofta blir det konflikt hemma kring vardagssysslor?',
        translations: { en: 'How often is there conflict at home over everyday tasks?' },
        options: [
          { value: 'daily', text: 'Varje dag', translations: { en: 'Every day' } },
          { value: 'weekly', text: 'Några gånger i veckan', translations: { en: 'A few times a week' } },
          { value: 'sometimes', text: 'Någon gång i månaden', translations: { en: 'Now and then in a month' } },
          { value: 'rarely', text: 'Sällan eller aldrig', translations: { en: 'Rarely or never' } },
        ],
      },
      {
        id: 'hardestSituation',
        type: 'single',
        text: 'Vilken situation är oftast svårast?',
        translations: { en: 'Which situation is usually hardest?' },
        options: [
          { value: 'mornings', text: 'Morgnar', translations: { en: 'Mornings' } },
          { value: 'meals', text: 'Måltider', translations: { en: 'Meals' } },
          { value: 'homework', text: 'Läxor', translations: { en: 'Homework' } },
          { value: 'bedtime', text: 'Läggning', translations: { en: 'Bedtime' } },
          { value: 'screens', text: 'Skärmtid', translations: { en: 'Screen time' } },
          { value: 'other', text: 'Något annat', translations: { en: 'Something else' } },
        ],
      },
    ],
  },
  {
    kind: 'courseEvaluation',
    title: 'Utvärdering av kursen',
    questions: [
      { id: 'overall', type: 'scale', text: 'Hur nöjd är du med kursen som helhet?', translations: { en: 'How satisfied are you with the course as a whole?' } },
      { id: 'support', type: 'scale', text: 'Hur väl fick du stöd av gruppledarna eller din guide?', translations: { en: 'How well were you supported by the group leaders or your guide?' } },
      { id: 'confident', type: 'scale', anchors: 'agree', text: 'Jag känner mig tryggare och starkare i min föräldraroll efter kursen.', translations: { en: 'I feel more confident and stronger in my role as a parent after the course.' } },
      { id: 'recommend', type: 'scale', text: 'Hur gärna skulle du rekommendera Komet till en annan förälder?', translations: { en: 'How happy would you be to recommend Komet to another parent?' } },
      {
        id: 'helped',
        type: 'multiple',
        required: false,
        text: 'Vad har hjälpt dig mest? Välj gärna flera.',
        translations: { en: 'What has helped you most? Choose as many as you like.' },
        options: [
          { value: 'praise', text: 'Att berömma och uppmuntra', translations: { en: 'Praise and encouragement' } },
          { value: 'clearRequests', text: 'Korta och tydliga uppmaningar', translations: { en: 'Short, clear instructions' } },
          { value: 'ownTime', text: 'Egen tid med barnet', translations: { en: 'One-to-one time with my child' } },
          { value: 'ignoring', text: 'Att inte ge uppmärksamhet åt småbråk', translations: { en: 'Not giving attention to minor misbehaviour' } },
          { value: 'calmConsequences', text: 'Lugna och förutsägbara konsekvenser', translations: { en: 'Calm, predictable consequences' } },
          { value: 'otherParents', text: 'Att träffa andra föräldrar', translations: { en: 'Meeting other parents' } },
          { value: 'material', text: 'Materialet och filmerna', translations: { en: 'The material and films' } },
        ],
      },
      { id: 'comments', type: 'text', required: false, text: 'Vill du berätta något mer om kursen?', translations: { en: 'Is there anything else you would like to tell us about the course?' } },
    ],
  },
];

/** Version 1 of each kind; an existing version is left as it is (its answers refer to it). */
export async function seedSurveys(db: Pick<Db, 'surveyDefinition'>): Promise<void> {
  await db.surveyDefinition.createMany({
    data: SURVEY_SEEDS.map((s) => ({ kind: s.kind, version: 1, title: s.title, questions: QuestionsSchema.parse(s.questions) })),
    skipDuplicates: true,
  });
}
