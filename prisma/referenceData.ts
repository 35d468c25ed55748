// Reference data every installation needs, demo or production: Stockholm's districts and version 1
// of the surveys. Loaded by `npm run setup` (production) and by the demo seed (embedded). Only
// missing rows are added: a second run changes nothing, and nothing already there is overwritten.
import type { Db } from '../lib/db';
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

export interface ReferenceDataResult {
  districtsAdded: number;
  surveysAdded: number;
}

/** Adds the districts and surveys that are missing (by slug; by kind and version). */
export async function seedReferenceData(db: Pick<Db, 'district' | 'surveyDefinition'>): Promise<ReferenceDataResult> {
  const districts = await db.district.createMany({ data: [...DISTRICTS], skipDuplicates: true });
  const surveysBefore = await db.surveyDefinition.count();
  await seedSurveys(db);
  return { districtsAdded: districts.count, surveysAdded: (await db.surveyDefinition.count()) - surveysBefore };
}
