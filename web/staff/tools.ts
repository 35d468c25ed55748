// Every staff tool in one list (issue 16): the staff start page lists a person's tools grouped,
// and the menu links the start page and each role's own desk. Each tool names the policy area its
// routes are guarded by (lib/policy, requireArea), so a tool is linked for exactly the people the
// guard lets in; test/web/staffTools.test.ts keeps every staff route family in this list.
import { mayEnter, type Area } from '../../lib/policy';
import type { SessionUser } from '../context';
export type StaffToolGroup = 'cases' | 'followUp' | 'admin' | 'chat';

export interface StaffTool {
  id: string;
  href: string;
  /** Translation keys of its name and its one-line description (lower case, after a dash). */
  title: string;
  lead: string;
  area: Area;
  group: StaffToolGroup;
  /** Also in the header menu: a role's own desk. */
  menu?: true;
}

export const STAFF_GROUPS: readonly StaffToolGroup[] = ['cases', 'followUp', 'admin', 'chat'];

export const STAFF_TOOLS: readonly StaffTool[] = [
  { id: 'applications', href: '/personal/ansokningar', title: 'staff.applications.title', lead: 'staff.applications.lead', area: 'caseHandling', group: 'cases' },
  { id: 'guide', href: '/guide', title: 'guide.title', lead: 'staff.tools.guide', area: 'guidance', group: 'cases', menu: true },
  { id: 'instructor', href: '/instruktor', title: 'instructor.title', lead: 'staff.tools.instructor', area: 'trainings', group: 'cases', menu: true },
  { id: 'inspector', href: '/personal/arenden', title: 'inspector.title', lead: 'inspector.homeLead', area: 'inspector', group: 'cases' },
  { id: 'statistics', href: '/personal/statistik', title: 'staff.followUp.statistics', lead: 'staff.followUp.statisticsLead', area: 'statistics', group: 'followUp' },
  { id: 'audit', href: '/personal/granskning', title: 'staff.followUp.audit', lead: 'staff.followUp.auditLead', area: 'auditReview', group: 'followUp' },
  { id: 'diarium', href: '/personal/diarium', title: 'staff.followUp.diarium', lead: 'staff.followUp.diariumLead', area: 'diarium', group: 'followUp' },
  { id: 'adminDesk', href: '/personal/admin', title: 'admin.title', lead: 'staff.tools.adminDesk', area: 'administration', group: 'admin', menu: true },
  { id: 'grants', href: '/personal/admin/behorigheter', title: 'admin.grants.title', lead: 'admin.grants.summary', area: 'administration', group: 'admin' },
  { id: 'settings', href: '/personal/installningar', title: 'admin.courses.title', lead: 'staff.tools.settings', area: 'administration', group: 'admin' },
  { id: 'fees', href: '/personal/avgifter', title: 'fees.title', lead: 'staff.tools.fees', area: 'fees', group: 'admin' },
  { id: 'certificates', href: '/personal/intyg', title: 'fees.certificates.title', lead: 'staff.tools.certificates', area: 'fees', group: 'admin' },
  { id: 'surveys', href: '/personal/admin/enkater', title: 'admin.surveys.title', lead: 'admin.surveys.summary', area: 'administration', group: 'admin' },
  { id: 'templates', href: '/personal/admin/meddelanden', title: 'admin.templates.title', lead: 'admin.templates.summary', area: 'administration', group: 'admin' },
  { id: 'rooms', href: '/personal/admin/lokaler', title: 'admin.rooms.title', lead: 'admin.rooms.summary', area: 'administration', group: 'admin' },
  { id: 'chatAdmin', href: '/personal/admin/chatt', title: 'chatAdmin.title', lead: 'chatAdmin.summary', area: 'administration', group: 'admin' },
  { id: 'chatOutcomeChoices', href: '/personal/admin/chatt/utfall', title: 'chatAdmin.outcomes.title', lead: 'chatAdmin.outcomes.summary', area: 'administration', group: 'admin' },
  { id: 'chatConsole', href: '/radgivare', title: 'chatConsole.title', lead: 'staff.tools.chatConsole', area: 'chatConsole', group: 'chat', menu: true },
  { id: 'concernReports', href: '/radgivare/orosanmalningar', title: 'concerns.title', lead: 'concerns.summary', area: 'chatConsole', group: 'chat' },
  { id: 'concernReport', href: '/radgivare/orosanmalan', title: 'chatConsole.concern.title', lead: 'staff.tools.concernReport', area: 'chatConsole', group: 'chat' },
  { id: 'chatOutcomes', href: '/radgivare/utfall', title: 'chatConsole.outcomes.title', lead: 'staff.tools.chatOutcomes', area: 'chatConsole', group: 'chat' },
];

/** The tools a person may use, in the list's order. */
export function toolsFor(user: SessionUser | null): StaffTool[] {
  return STAFF_TOOLS.filter((tool) => mayEnter(user, tool.area));
}

/** The start page's sections: each group that has a tool for this person. */
export function toolGroupsFor(user: SessionUser | null): { group: StaffToolGroup; tools: StaffTool[] }[] {
  const mine = toolsFor(user);
  return STAFF_GROUPS.map((group) => ({ group, tools: mine.filter((t) => t.group === group) })).filter((g) => g.tools.length);
}

/** The header menu's staff links: the start page (for those it is for), then each of the person's desks. */
export function staffMenuFor(user: SessionUser | null): { href: string; title: string }[] {
  if (!user?.isStaff) return [];
  const home = mayEnter(user, 'staffHome') ? [{ href: '/personal', title: 'nav.staff' }] : [];
  return [...home, ...toolsFor(user).filter((t) => t.menu).map((t) => ({ href: t.href, title: t.title }))];
}
