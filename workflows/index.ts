// The one entry file that exports every workflow (bundled by the worker).
export { parentApplication } from './parentApplication';
export { webCourseGuidance } from './webCourseGuidance';
export { courseOpening } from './courseOpening';
export { professionalEnrolment } from './professionalEnrolment';
export { archiveRetention } from './archiveRetention';
export { chatConversation } from './chatConversation';
