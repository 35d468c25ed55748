// Reference data every installation needs, demo or production: Stockholm's districts, version 1
// of the surveys and the first answers for a chat's outcome. Loaded by `npm run setup` (production) and by the demo seed (embedded). Only
// missing rows are added: a second run changes nothing, and nothing already there is overwritten.
import type { Db } from '../lib/db';
import type { OutcomeField } from '../rules/chatOutcome';
import { seedSurveys } from './seedSurveys';

export const DISTRICTS = [
  { slug: 'rinkeby-kista', name: 'Rinkeby-Kista', latitude: 59.404, longitude: 17.927 },
  { slug: 'spanga-tensta', name: 'Spånga-Tensta', latitude: 59.393, longitude: 17.9 },
  { slug: 'hasselby-vallingby', name: 'Hässelby-Vällingby', latitude: 59.366, longitude: 17.86 },
  { slug: 'bromma', name: 'Bromma', latitude: 59.338, longitude: 17.94 },
  { slug: 'kungsholmen', name: 'Kungsholmen', latitude: 59.331, longitude: 18.03 },
  { slug: 'norrmalm', name: 'Norrmalm', latitude: 59.34, longitude: 18.055 },
  { slug: 'ostermalm', name: 'Östermalm', latitude: 59.34, longitude: 18.085 },
  { slug: 'sodermalm', name: 'Södermalm', latitude: 59.314, longitude: 18.07 },
  { slug: 'enskede-arsta-vantor', name: 'Enskede-Årsta-Vantör', latitude: 59.285, longitude: 18.07 },
  { slug: 'skarpnack', name: 'Skarpnäck', latitude: 59.267, longitude: 18.13 },
  { slug: 'farsta', name: 'Farsta', latitude: 59.243, longitude: 18.09 },
  { slug: 'hagersten-alvsjo', name: 'Hägersten-Älvsjö', latitude: 59.295, longitude: 17.99 },
  { slug: 'skarholmen', name: 'Skärholmen', latitude: 59.277, longitude: 17.907 },
] as const;

/**
 * The first answers a counsellor chooses a chat's outcome from (issue 17), in the words of the
 * chat's own goals: more early advice and support efforts ("tidiga råd och stödinsatser"), so the
 * results that are such an effort are marked. "Ej angett" is not a choice: it is no age band. The
 * admin edits the list afterwards; the ids are fixed so that two runs at once add each once.
 */
export const DEFAULT_OUTCOME_CHOICES = [
  { id: '17000000-0000-4000-8000-000000000101', field: 'topic', label: 'Familj' },
  { id: '17000000-0000-4000-8000-000000000102', field: 'topic', label: 'Skola' },
  { id: '17000000-0000-4000-8000-000000000103', field: 'topic', label: 'Kompisar' },
  { id: '17000000-0000-4000-8000-000000000104', field: 'topic', label: 'Alkohol och droger' },
  { id: '17000000-0000-4000-8000-000000000105', field: 'topic', label: 'Våld' },
  { id: '17000000-0000-4000-8000-000000000106', field: 'topic', label: 'Annat' },
  { id: '17000000-0000-4000-8000-000000000201', field: 'ageBand', label: 'Under 13' },
  { id: '17000000-0000-4000-8000-000000000202', field: 'ageBand', label: '13–15' },
  { id: '17000000-0000-4000-8000-000000000203', field: 'ageBand', label: '16–18' },
  { id: '17000000-0000-4000-8000-000000000204', field: 'ageBand', label: '19–25' },
  { id: '17000000-0000-4000-8000-000000000205', field: 'ageBand', label: 'Över 25' },
  { id: '17000000-0000-4000-8000-000000000301', field: 'result', label: 'Råd och stöd gavs', earlySupport: true },
  { id: '17000000-0000-4000-8000-000000000302', field: 'result', label: 'Hänvisad till annan verksamhet', earlySupport: true },
  { id: '17000000-0000-4000-8000-000000000303', field: 'result', label: 'Orosanmälan gjordes' },
  { id: '17000000-0000-4000-8000-000000000304', field: 'result', label: 'Ingen vidare åtgärd' },
] as const satisfies readonly { id: string; field: OutcomeField; label: string; earlySupport?: boolean }[];

export interface ReferenceDataResult {
  districtsAdded: number;
  surveysAdded: number;
  outcomeChoicesAdded: number;
}

/**
 * The default answers of each outcome question that has none yet: once the admin has a list of
 * their own (renamed, retired or deleted defaults), a second run adds nothing to it.
 */
async function seedOutcomeChoices(db: Pick<Db, 'chatOutcomeChoice'>): Promise<number> {
  const present = await db.chatOutcomeChoice.groupBy({ by: ['field'], _count: { _all: true } });
  const missing = DEFAULT_OUTCOME_CHOICES.filter((c) => !present.some((p) => p.field === c.field));
  const fieldIndex = (c: (typeof DEFAULT_OUTCOME_CHOICES)[number]) => DEFAULT_OUTCOME_CHOICES.filter((d) => d.field === c.field).indexOf(c);
  const added = await db.chatOutcomeChoice.createMany({
    data: missing.map((c) => ({ id: c.id, field: c.field, label: c.label, position: fieldIndex(c), earlySupport: 'earlySupport' in c && c.earlySupport })),
    skipDuplicates: true,
  });
  return added.count;
}

/** Adds the districts, surveys and outcome answers that are missing (by slug; by kind and version; by question). */
export async function seedReferenceData(db: Pick<Db, 'district' | 'surveyDefinition' | 'chatOutcomeChoice'>): Promise<ReferenceDataResult> {
  const districts = await db.district.createMany({ data: [...DISTRICTS], skipDuplicates: true });
  const surveysBefore = await db.surveyDefinition.count();
  await seedSurveys(db);
  const outcomeChoicesAdded = await seedOutcomeChoices(db);
  return { districtsAdded: districts.count, surveysAdded: (await db.surveyDefinition.count()) - surveysBefore, outcomeChoicesAdded };
}
