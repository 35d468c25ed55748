// Demo data for the web course (R4, R5): "Komet på webben" with its six modules (moment), and a
// guide who supervises its parents. No district and no sessions: the parent works through the
// modules at their own pace from admission, and the public catalogue lists it as a web course.
import type { DbTypes } from '../lib/db';

type Tx = DbTypes.Prisma.TransactionClient;

export const WEB_COURSE_TITLE = 'Komet på webben';
export const WEB_COURSE_GUIDE = { name: 'Lina Guide', phone: '+46701234505' } as const;

/** Each module: a title and a few paragraphs separated by blank lines (rendered as paragraphs). */
export const WEB_COURSE_MODULES: { title: string; body: string }[] = [
  {
    title: 'Positiv samvaro',
    body: [
      'Komet bygger på att relationen mellan dig och ditt barn är grunden för allt annat. När vardagen är full av tjat och konflikter är det lätt att nästan bara prata med barnet när något har gått snett.',
      'I det här momentet lägger du till en stund varje dag då ni gör något tillsammans som barnet väljer. Du följer barnets lek, beskriver vad du ser och låter bli att rätta, fråga ut eller styra. Tio minuter räcker.',
      'Veckans övning: ha en stund av positiv samvaro varje dag. Skriv i dagboken vad ni gjorde, hur barnet tog emot det och hur det kändes för dig.',
    ].join('\n\n'),
  },
  {
    title: 'Uppmärksamhet och beröm',
    body: [
      'Barn gör mer av det som får uppmärksamhet. Därför lönar det sig att fånga barnet när det gör något du vill se mer av, även små saker som att klä på sig eller leka lugnt med ett syskon.',
      'Beröm som fungerar är konkret och kommer direkt: "Vad bra att du hängde upp jackan själv." Ett leende, en klapp på axeln eller ett tumme upp räknas också.',
      'Veckans övning: välj ett beteende du vill se mer av och ge beröm varje gång det händer. Skriv i dagboken vad du valde och vad du märkte.',
    ].join('\n\n'),
  },
  {
    title: 'Tydliga uppmaningar',
    body: [
      'Många konflikter börjar med en uppmaning som barnet inte uppfattar eller inte förstår. En tydlig uppmaning ges nära barnet, med ögonkontakt, en sak i taget och som ett påstående snarare än en fråga.',
      'Säg vad barnet ska göra i stället för vad det inte ska göra: "Gå långsamt" i stället för "Spring inte". Ge barnet en liten stund att lyda och beröm när det gör det.',
      'Veckans övning: öva på tydliga uppmaningar i två vardagssituationer, till exempel vid läggning och på morgonen. Skriv i dagboken hur det gick.',
    ].join('\n\n'),
  },
  {
    title: 'Överenskommelser och belöningar',
    body: [
      'Ibland behövs lite extra för att få en ny vana på plats. En överenskommelse med en belöning gör målet tydligt för barnet och ger er något positivt att prata om.',
      'Bestäm tillsammans med barnet vad som ska övas, hur ni ser att det har lyckats och vad belöningen blir. Belöningen kan vara en aktivitet ihop snarare än en sak. Börja med ett mål som barnet klarar.',
      'Veckans övning: gör en överenskommelse med ditt barn och följ den under veckan. Skriv i dagboken vad ni kom överens om och hur det fungerade.',
    ].join('\n\n'),
  },
  {
    title: 'När det blir konflikt',
    body: [
      'Alla familjer har konflikter. Målet är att de ska bli färre och kortare, och att du ska kunna behålla lugnet. Det hjälper att i förväg tänka igenom vad du gör när det hettar till.',
      'Små beteenden som gnäll kan du ofta låta passera utan uppmärksamhet och i stället berömma när barnet slutar. Vid större konflikter kan en kort paus hjälpa både dig och barnet att lugna ner er innan ni pratar vidare.',
      'Veckans övning: välj en återkommande konfliktsituation och planera hur du vill bemöta den. Skriv i dagboken vad som hände och hur du gjorde.',
    ].join('\n\n'),
  },
  {
    title: 'Att hålla i det nya',
    body: [
      'Du har nu provat de viktigaste verktygen i Komet. Det svåra är ofta att hålla i dem när vardagen blir stressig. Då är det lätt att falla tillbaka i gamla mönster, och det är helt normalt.',
      'Tänk igenom vilka verktyg som har fungerat bäst för er och hur du påminner dig själv om dem. Vilka situationer behöver du planera för framöver?',
      'Veckans övning: skriv i dagboken vad som har förändrats hemma sedan kursstarten och vad du vill fortsätta med. Efter det här momentet får du en avslutande enkät.',
    ].join('\n\n'),
  },
];

/** `guideEmail` is DEMO_STAFF.guide: the guide logs in with it. */
export async function seedWebCourse(tx: Tx, guideEmail: string): Promise<void> {
  const course = await tx.course.create({
    data: {
      kind: 'webCourse',
      title: WEB_COURSE_TITLE,
      districtId: null,
      capacity: 30,
      language: 'sv',
      status: 'open',
      description:
        'Komet som webbkurs i sex moment, för dig som har svårt att komma till en grupp. Du går igenom ett moment i taget i din egen takt, skriver dagbok och får stöd av en guide varje vecka. Kursen startar när du blivit antagen.',
    },
  });
  await tx.courseModule.createMany({
    data: WEB_COURSE_MODULES.map((m, i) => ({ courseId: course.id, number: i + 1, title: m.title, body: m.body })),
  });
  const guide = await tx.person.create({ data: { email: guideEmail, ...WEB_COURSE_GUIDE } });
  await tx.roleGrant.create({ data: { personId: guide.id, role: 'guide', courseId: course.id } });
  await tx.courseContact.create({ data: { courseId: course.id, personId: guide.id, title: 'Guide' } });
}
