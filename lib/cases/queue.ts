// Queue position and the nearest district running Komet (R2.5). Computed from the data, so the
// position shown is always current.
import type { Db } from '../db';
import { freeSeats } from '../../rules/capacity';
import { SEAT_COUNT_SELECT, seatCountOf } from '../courses/seats';

/** Queue per district and course kind, first come first served by submission time. */
export async function queuePosition(db: Db, applicationId: string): Promise<number | null> {
  const app = await db.application.findUnique({
    where: { id: applicationId },
    select: { status: true, kind: true, submittedAt: true, courseId: true, course: { select: { districtId: true } } },
  });
  if (!app || app.status !== 'queued') return null;
  const ahead = await db.application.count({
    where: {
      status: 'queued',
      kind: app.kind,
      // A training's queue is its own; the parents' queue is per district and kind.
      ...(app.kind === 'training' ? { courseId: app.courseId } : { course: { districtId: app.course.districtId } }),
      submittedAt: { lt: app.submittedAt },
    },
  });
  return ahead + 1;
}

export type NearbyDistrict = {
  slug: string;
  name: string;
  distanceKm: number;
};

/** The closest other district with an open course of the same kind that has a free seat
 * (R2.5), by great-circle distance between the districts' seeded coordinates. */
export async function nearestDistrictWithFreeSeats(
  db: Db,
  fromDistrictId: string,
  kind: 'groupCourse' | 'webCourse' | 'training',
): Promise<NearbyDistrict | null> {
  const from = await db.district.findUnique({ where: { id: fromDistrictId } });
  if (!from) return null;
  const courses = await db.course.findMany({
    where: { kind, status: 'open', districtId: { not: fromDistrictId } },
    select: { ...SEAT_COUNT_SELECT, district: true },
  });
  const ranked = courses
    .filter((c) => c.district && freeSeats(seatCountOf(c)) > 0)
    .map((c) => ({ slug: c.district!.slug, name: c.district!.name, distanceKm: haversineKm(from, c.district!) }))
    .sort((a, b) => a.distanceKm - b.distanceKm);
  return ranked[0] ?? null;
}

function haversineKm(a: { latitude: number; longitude: number }, b: { latitude: number; longitude: number }): number {
  const rad = (deg: number) => (deg * Math.PI) / 180;
  const dLat = rad(b.latitude - a.latitude);
  const dLon = rad(b.longitude - a.longitude);
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(rad(a.latitude)) * Math.cos(rad(b.latitude)) * Math.sin(dLon / 2) ** 2;
  return Math.round(2 * 6371 * Math.asin(Math.sqrt(h)) * 10) / 10;
}
