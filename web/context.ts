// Types shared by every route: the Hono environment and the logged-in user.
import type { Deps } from '../lib/deps';
import type { Role } from '../lib/db/generated/enums';
import type { Lang, Translate } from '../lib/i18n';
import { hasRole as policyHasRole } from '../lib/policy';

export interface Grant {
  role: Role;
  districtId: string | null;
  courseId: string | null;
}

export interface SessionUser {
  id: string;
  email: string;
  name: string | null;
  grants: Grant[];
  isStaff: boolean;
  sessionId: string;
}

export type AppEnv = {
  Variables: {
    deps: Deps;
    user: SessionUser | null;
    /** The language the page is shown in (web/layout/language.ts) … */
    lang: Lang;
    /** … and the one the visitor chose: they differ on a staff page a "citizen" language does not cover. */
    chosenLang: Lang;
    t: Translate;
    csrfToken: string;
    apiKey: { id: string; name: string; scopes: string[] } | null;
    /** A page's data read in the session's statement (web/security/session.ts, SessionPage). */
    readWithSession: { page: unknown; json: unknown } | null;
  };
};

export function hasRole(user: SessionUser | null, ...roles: Grant['role'][]): boolean {
  return policyHasRole(user, ...roles);
}
