// The course after admission (R2.6–R2.8, R4.2–R4.4): the schedule and timings the workflow plans
// by, survey rounds, and closing the case. Everything here is idempotent by its key.
import type { Config } from '../lib/config';
import type { Db } from '../lib/db';
import { loadCaseTimings, type CaseTimings } from '../lib/settings';
import { openSurveyInvitations, unansweredInvitations, type SurveyKind } from '../lib/surveys/invitations';

export interface CourseSchedule {
  sessions: { id: string; startsAt: string; endsAt: string }[];
}

export interface OpenSurveyRoundInput {
  applicationId: string;
  courseId: string;
  sessionId?: string | null;
  moduleNumber?: number | null;
  kinds: SurveyKind[];
  /** workflow id + step: the same round opened again is the same invitations. */
  roundKey: string;
}

export function createCourseProgressActivities({ db, config }: { db: Db; config: Pick<Config, 'sessionSecret'> }) {
  return {
    async loadCaseTimings(): Promise<CaseTimings> {
      return loadCaseTimings(db);
    },

    async courseSchedule({ courseId }: { courseId: string }): Promise<CourseSchedule> {
      const sessions = await db.courseSession.findMany({ where: { courseId }, orderBy: { startsAt: 'asc' } });
      return {
        sessions: sessions.map((s) => ({ id: s.id, startsAt: s.startsAt.toISOString(), endsAt: s.endsAt.toISOString() })),
      };
    },

    /**
     * Opens a survey round for one parent. After a session only those who came are asked:
     * a parent the leader marked absent gets none. Returns how many invitations are open.
     */
    async openSurveyRound(input: OpenSurveyRoundInput): Promise<{ opened: number }> {
      if (input.sessionId) {
        const mark = await db.attendance.findUnique({
          where: { sessionId_applicationId: { sessionId: input.sessionId, applicationId: input.applicationId } },
        });
        if (mark && !mark.present) return { opened: 0 };
      }
      const opened = await openSurveyInvitations(db, config.sessionSecret, {
        applicationId: input.applicationId,
        courseId: input.courseId,
        sessionId: input.sessionId,
        moduleNumber: input.moduleNumber,
        kinds: input.kinds,
        dedupePrefix: input.roundKey,
      });
      return { opened: opened.filter((i) => !i.used).length };
    },

    async unansweredInRound({ roundKey }: { roundKey: string }): Promise<{ unanswered: number }> {
      return { unanswered: (await unansweredInvitations(db, roundKey)).length };
    },

    /** Whether the final evaluation has been answered (the database is the truth). */
    async finalEvaluationAnswered({ roundKey }: { roundKey: string }): Promise<boolean> {
      const final = await db.surveyInvitation.findFirst({
        where: { dedupeKey: { startsWith: `${roundKey}:` }, survey: { kind: 'courseEvaluation' } },
      });
      return !!final?.used;
    },

    async closeCase(input: { applicationId: string; status: 'completed' | 'notCompleted'; dedupeKey: string }): Promise<void> {
      await db.$transaction(async (tx) => {
        if (await tx.caseEvent.findUnique({ where: { dedupeKey: input.dedupeKey } })) return;
        await tx.application.update({ where: { id: input.applicationId }, data: { status: input.status, closedAt: new Date() } });
        await tx.caseEvent.create({
          data: { applicationId: input.applicationId, type: `case.${input.status}`, actor: 'system', dedupeKey: input.dedupeKey },
        });
      });
    },
  };
}
