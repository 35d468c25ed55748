// The web course's guidance (R4, R5): the parent's guide, the modules, and signing a module off,
// which opens the next module's material at once (pages read Application.currentModule).
import type { Config } from '../lib/config';
import type { Db } from '../lib/db';
import { loadWebCourseRules } from '../lib/settings';
import { openSurveyInvitations } from '../lib/surveys/invitations';
import { moduleReadyForSignOff } from '../rules/guidanceCase';
import type { Verdict } from '../rules/refusals';
import { SESSION_SURVEYS } from '../workflows/coursePlanner';

export interface SignOffModuleInput {
  applicationId: string;
  moduleNumber: number;
  guideId: string;
  dedupeKey: string;
  /** The guidance workflow's survey round key of a module: `<prefix>N` (its rounds open by it). */
  moduleRoundPrefix?: string;
}

export function createGuidanceActivities({ db, config }: { db: Db; config: Pick<Config, 'sessionSecret'> }) {
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

    /**
     * Opens a module: its material becomes visible to the parent. Never moves backwards. Where the
     * admin asks for the surveys before sign-off, the module's surveys open with it.
     */
    async openModule(input: { applicationId: string; moduleNumber: number; moduleRoundPrefix?: string }): Promise<void> {
      await db.application.updateMany({
        where: { id: input.applicationId, OR: [{ currentModule: null }, { currentModule: { lt: input.moduleNumber } }] },
        data: { currentModule: input.moduleNumber },
      });
      if (input.moduleRoundPrefix) await openModuleSurveysIfRequired(input.applicationId, input.moduleNumber, input.moduleRoundPrefix);
    },

    /**
     * The guide's sign-off (R5.4), only when the parent wrote their diary note for the module (and,
     * where the admin asks for it, answered its surveys): a case event, and the next module opens
     * in the same transaction. A retry finds its event and changes nothing.
     */
    async signOffModule(input: SignOffModuleInput): Promise<Verdict<'no-diary' | 'surveys-unanswered'>> {
      const rules = await loadWebCourseRules(db);
      const verdict = await db.$transaction(async (tx): Promise<Verdict<'no-diary' | 'surveys-unanswered'>> => {
        if (await tx.caseEvent.findUnique({ where: { dedupeKey: input.dedupeKey } })) return { ok: true };
        const [notes, unanswered] = await Promise.all([
          tx.diaryNote.count({ where: { applicationId: input.applicationId, moduleNumber: input.moduleNumber, fromGuide: false } }),
          tx.surveyInvitation.count({ where: { applicationId: input.applicationId, moduleNumber: input.moduleNumber, used: false } }),
        ]);
        const ready = moduleReadyForSignOff({ parentDiaryNote: notes > 0, surveysRequired: rules.signOffNeedsSurveys, unansweredSurveys: unanswered });
        if (!ready.ok) return ready;
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
        return { ok: true };
      });
      if (verdict.ok && input.moduleRoundPrefix) await openModuleSurveysIfRequired(input.applicationId, input.moduleNumber + 1, input.moduleRoundPrefix);
      return verdict;
    },
  };

  /** With the admin's "surveys before sign-off", a module's surveys open when the module does. */
  async function openModuleSurveysIfRequired(applicationId: string, moduleNumber: number, roundPrefix: string): Promise<void> {
    if (!(await loadWebCourseRules(db)).signOffNeedsSurveys) return;
    const app = await db.application.findUniqueOrThrow({ where: { id: applicationId }, select: { courseId: true } });
    if (!(await db.courseModule.count({ where: { courseId: app.courseId, number: moduleNumber } }))) return;
    await openSurveyInvitations(db, config.sessionSecret, { applicationId, courseId: app.courseId, moduleNumber, kinds: [...SESSION_SURVEYS], dedupePrefix: `${roundPrefix}${moduleNumber}` });
  }
}
