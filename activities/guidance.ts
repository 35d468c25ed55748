// The web course's guidance (R4, R5): the parent's guide, the modules, and signing a module off,
// which opens the next module's material at once (pages read Application.currentModule).
import type { Db } from '../lib/db';

export interface SignOffModuleInput {
  applicationId: string;
  moduleNumber: number;
  guideId: string;
  dedupeKey: string;
}

export function createGuidanceActivities({ db }: { db: Db }) {
  return {
    /** The guide granted to the course with the fewest active parents; keeps an earlier choice. */
    async assignGuide({ applicationId }: { applicationId: string }): Promise<{ guideId: string | null }> {
      const app = await db.application.findUniqueOrThrow({ where: { id: applicationId } });
      if (app.guideId) return { guideId: app.guideId };
      const guides = await db.roleGrant.findMany({ where: { role: 'guide', courseId: app.courseId }, select: { personId: true } });
      if (!guides.length) return { guideId: null };
      const loads = await Promise.all(
        guides.map(async ({ personId }) => ({
          personId,
          load: await db.application.count({ where: { guideId: personId, status: 'admitted' } }),
        })),
      );
      loads.sort((a, b) => a.load - b.load || a.personId.localeCompare(b.personId));
      const guideId = loads[0].personId;
      await db.application.update({ where: { id: applicationId }, data: { guideId } });
      return { guideId };
    },

    async moduleCount({ courseId }: { courseId: string }): Promise<number> {
      return db.courseModule.count({ where: { courseId } });
    },

    /** Opens a module: its material becomes visible to the parent. Never moves backwards. */
    async openModule({ applicationId, moduleNumber }: { applicationId: string; moduleNumber: number }): Promise<void> {
      await db.application.updateMany({
        where: { id: applicationId, OR: [{ currentModule: null }, { currentModule: { lt: moduleNumber } }] },
        data: { currentModule: moduleNumber },
      });
    },

    /** The guide's sign-off: a case event, and the next module opens in the same transaction. */
    async signOffModule(input: SignOffModuleInput): Promise<void> {
      await db.$transaction(async (tx) => {
        if (await tx.caseEvent.findUnique({ where: { dedupeKey: input.dedupeKey } })) return;
        await tx.caseEvent.create({
          data: {
            applicationId: input.applicationId,
            type: 'module.signedOff',
            actor: input.guideId,
            data: { moduleNumber: input.moduleNumber },
            dedupeKey: input.dedupeKey,
          },
        });
        await tx.application.updateMany({
          where: { id: input.applicationId, currentModule: input.moduleNumber },
          data: { currentModule: input.moduleNumber + 1 },
        });
      });
    },
  };
}
