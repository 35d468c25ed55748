// createActivities(deps): every side effect a workflow may cause. Workflows import the type only.
import type { Deps } from '../lib/deps';
import { createArchiveActivities } from './archive';
import { createCaseNoticeActivities } from './caseNotices';
import { createChatActivities } from './chat';
import { createCourseProgressActivities } from './courseProgress';
import { createDecisionActivities } from './decisions';
import { createEnrolmentActivities } from './enrolments';
import { createGuidanceActivities } from './guidance';
import { createSeatActivities } from './seats';

export type ActivityDeps = Pick<Deps, 'db' | 'mailer' | 'sms' | 'config'>;

export function createActivities(deps: ActivityDeps) {
  return {
    ...createCaseNoticeActivities(deps),
    ...createDecisionActivities(deps),
    ...createSeatActivities(deps),
    ...createCourseProgressActivities(deps),
    ...createGuidanceActivities(deps),
    ...createEnrolmentActivities(deps),
    ...createArchiveActivities(deps),
    ...createChatActivities(deps),
  };
}

export type Activities = ReturnType<typeof createActivities>;
