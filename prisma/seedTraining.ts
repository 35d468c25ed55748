// Demo data for the professionals' training (R6–R8): "Komet gruppledarutbildning", city-wide (no
// district), four full days at the training venue, a fee, and the instructor who runs it.
import type { DbTypes } from '../lib/db';
import { addDays, stockholmInstant } from '../lib/time';

type Tx = DbTypes.Prisma.TransactionClient;

export const TRAINING_TITLE = 'Komet gruppledarutbildning';
export const TRAINING_INSTRUCTOR = { name: 'Nora Instruktör', phone: '+46701234506' } as const;
export const TRAINING_FEE_ORE = 1_200_000;

const OUTLINE = [
  'Utbildningen ger dig som arbetar med barn och familjer behörighet att leda Komet-grupper för föräldrar.',
  'Dag 1: Kometprogrammets grunder, forskningen bakom och gruppledarens roll.',
  'Dag 2: Positiv samvaro, beröm och tydliga uppmaningar – övningar i rollspel.',
  'Dag 3: Överenskommelser, konsekvenser och att hantera konflikter i gruppen.',
  'Dag 4: Att leda en grupp i praktiken, uppföljning och handledning.',
  'Efter utbildningsdagarna leder du en egen grupp med handledning. Godkänd utbildning ger certifikat som Komet-gruppledare.',
].join('\n\n');

/** `firstDay` is a Monday (YYYY-MM-DD); the four days fall a week apart, 09:00–16:00. */
export async function seedTraining(tx: Tx, instructorEmail: string, firstDay: string): Promise<void> {
  const room = await tx.room.create({ data: { name: 'Utbildningslokalen', address: 'Hantverkargatan 2, 112 21 Stockholm' } });
  const course = await tx.course.create({
    data: {
      kind: 'training',
      title: TRAINING_TITLE,
      districtId: null,
      capacity: 16,
      status: 'open',
      feeOre: TRAINING_FEE_ORE,
      description: OUTLINE,
    },
  });
  for (let i = 0; i < 4; i++) {
    const day = addDays(firstDay, 1 + i * 7);
    await tx.courseSession.create({
      data: { courseId: course.id, startsAt: stockholmInstant(day, '09:00'), endsAt: stockholmInstant(day, '16:00'), roomId: room.id },
    });
  }
  const instructor = await tx.person.create({ data: { email: instructorEmail, ...TRAINING_INSTRUCTOR } });
  await tx.roleGrant.create({ data: { personId: instructor.id, role: 'instructor', courseId: course.id } });
  await tx.courseContact.create({ data: { courseId: course.id, personId: instructor.id, title: 'Instruktör' } });
}
