// Environment, validated once. Everything else receives a typed Config (README has the table).
import { z } from 'zod';
import { embeddedDatabaseUrl } from './embedded/socketDir';

const bool = z
  .enum(['true', 'false', '1', '0', ''])
  .optional()
  .transform((v) => v === 'true' || v === '1');

const EnvSchema = z.object({
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  HOST: z.string().default('127.0.0.1'),
  PUBLIC_URL: z.string().url().optional(),
  DATA_DIR: z.string().default('./data'),
  DATABASE_URL: z.string().url().optional(),
  EMBEDDED_PG_PORT: z.coerce.number().int().default(5433),
  TEMPORAL_ADDRESS: z.string().optional(),
  TEMPORAL_NAMESPACE: z.string().default('default'),
  TEMPORAL_TASK_QUEUE: z.string().default('komet'),
  /** How long Temporal keeps a closed case's history; used when `npm run setup` creates the namespace. */
  TEMPORAL_NAMESPACE_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(30),
  TEMPORAL_API_KEY: z.string().optional(),
  TEMPORAL_TLS: bool,
  TEMPORAL_TLS_CERT_PATH: z.string().optional(),
  TEMPORAL_TLS_KEY_PATH: z.string().optional(),
  /** The Temporal CLI for the embedded dev server; unset: found (lib/embedded/temporalCli.ts). */
  TEMPORAL_CLI: z.string().optional(),
  EMBEDDED_TEMPORAL_PORT: z.coerce.number().int().default(7233),
  EMBEDDED_TEMPORAL_UI_PORT: z.coerce.number().int().default(8233),
  /** The Temporal Web UI the case inspector links to (R9.4); embedded: the dev server's UI. */
  TEMPORAL_UI_URL: z.string().url().optional(),
  SESSION_SECRET: z.string().min(32).optional(),
  RESEND_API_KEY: z.string().optional(),
  RESEND_BASE_URL: z.string().url().optional(),
  MAIL_FROM: z.string().default('Komet Stockholms stad <komet@stockholm.se>'),
  SMS_API_URL: z.string().url().optional(),
  SMS_API_USERNAME: z.string().optional(),
  SMS_API_PASSWORD: z.string().optional(),
  // 46elks' rule: a text sender ID (letters and digits, starting with a letter, at most 11) or an E.164 number.
  SMS_FROM: z
    .string()
    .regex(/^(?:[A-Za-z][A-Za-z0-9]{1,10}|\+\d{7,15})$/, 'letters and digits, at most 11, starting with a letter (or an E.164 number)')
    .default('Stockholm'),
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(100).default(10),
  WORKER_MAX_CACHED_WORKFLOWS: z.coerce.number().int().min(0).default(500),
  WORKFLOW_BUNDLE_PATH: z.string().optional(),
  /** Largest course material file staff may upload (R3.3). */
  MATERIAL_MAX_BYTES: z.coerce.number().int().min(1).default(10 * 1024 * 1024),
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
  /**
   * How many proxies (load balancers) in front of the web servers to trust for X-Forwarded-For:
   * the client address is the entry that many hops from the right. 0: the socket's peer, and the
   * header is ignored (a client could write anything in it). Rate limits key on this (issue 14).
   */
  TRUST_PROXY: z.coerce.number().int().min(0).max(10).default(0),
  /** Citizens' e-legitimation (BankID, Freja eID) through the city's OpenID Connect broker. */
  OIDC_ISSUER: z.string().url().optional(),
  OIDC_CLIENT_ID: z.string().min(1).optional(),
  OIDC_CLIENT_SECRET: z.string().min(1).optional(),
  OIDC_SCOPES: z.string().default('openid profile https://id.oidc.se/scope/naturalPersonNumber'),
  /** The ID token claim with the personal identity number (the Swedish OIDC profile's name). */
  OIDC_PERSONNUMMER_CLAIM: z.string().min(1).default('https://id.oidc.se/claim/personalIdentityNumber'),
  /** Staff: the city's identity provider; matched to the grants in Komet by e-mail. */
  OIDC_STAFF_ISSUER: z.string().url().optional(),
  OIDC_STAFF_CLIENT_ID: z.string().min(1).optional(),
  OIDC_STAFF_CLIENT_SECRET: z.string().min(1).optional(),
  OIDC_STAFF_SCOPES: z.string().default('openid email profile'),
  OIDC_STAFF_EMAIL_CLAIM: z.string().min(1).default('email'),
  /**
   * Comma-separated: `email` (the e-mailed link), `eid` (citizens' e-legitimation), `staff-oidc`.
   * Unset: the e-mail link, plus each OpenID Connect provider that is configured.
   */
  LOGIN_METHODS: z.string().optional(),
}).superRefine((e, ctx) => {
  if (e.SMS_API_URL && (!e.SMS_API_USERNAME || !e.SMS_API_PASSWORD)) {
    ctx.addIssue({ code: 'custom', path: ['SMS_API_USERNAME'], message: 'SMS_API_USERNAME and SMS_API_PASSWORD are required with SMS_API_URL' });
  }
  for (const prefix of ['OIDC', 'OIDC_STAFF'] as const) {
    const parts = [`${prefix}_ISSUER`, `${prefix}_CLIENT_ID`, `${prefix}_CLIENT_SECRET`] as const;
    const given = parts.filter((k) => e[k]);
    if (given.length && given.length < parts.length) {
      const missing = parts.filter((k) => !e[k]);
      ctx.addIssue({ code: 'custom', path: [missing[0]], message: `${missing.join(' and ')} required with ${given.join(', ')}` });
    }
  }
});

export const LOGIN_METHOD_NAMES = ['email', 'eid', 'staff-oidc'] as const;
export type LoginMethod = (typeof LOGIN_METHOD_NAMES)[number];

export interface OidcClientConfig {
  issuer: string;
  clientId: string;
  clientSecret: string;
  scopes: string;
}

/** Who may log in how (issue 15). */
export interface LoginConfig {
  /** Citizens (and, without staff OIDC, staff) by the e-mailed link. */
  emailLink: boolean;
  /** Staff by the e-mailed link: off as soon as the city's identity provider is configured. */
  staffEmailLink: boolean;
  eid: (OidcClientConfig & { personnummerClaim: string }) | null;
  staff: (OidcClientConfig & { emailClaim: string }) | null;
}

/** LOGIN_METHODS against what is configured: a method chosen without its settings stops the start. */
export function loginConfig(e: Env, embedded: boolean): LoginConfig {
  const eidConfigured = !!(e.OIDC_ISSUER && e.OIDC_CLIENT_ID && e.OIDC_CLIENT_SECRET);
  const staffConfigured = !!(e.OIDC_STAFF_ISSUER && e.OIDC_STAFF_CLIENT_ID && e.OIDC_STAFF_CLIENT_SECRET);
  const listed = e.LOGIN_METHODS?.split(',').map((m) => m.trim()).filter(Boolean);
  const unknown = listed?.filter((m) => !(LOGIN_METHOD_NAMES as readonly string[]).includes(m)) ?? [];
  if (unknown.length) throw new Error(`Ogiltig konfiguration: LOGIN_METHODS känner inte ${unknown.join(', ')} (välj bland ${LOGIN_METHOD_NAMES.join(', ')})`);
  if (listed && !listed.length) throw new Error('Ogiltig konfiguration: LOGIN_METHODS är tom – ingen skulle kunna logga in');
  const methods = new Set<string>(listed ?? ['email', ...(eidConfigured ? ['eid'] : []), ...(staffConfigured ? ['staff-oidc'] : [])]);
  if (methods.has('eid') && !eidConfigured) throw new Error('Ogiltig konfiguration: LOGIN_METHODS har eid men OIDC_ISSUER, OIDC_CLIENT_ID och OIDC_CLIENT_SECRET saknas');
  if (methods.has('staff-oidc') && !staffConfigured) {
    throw new Error('Ogiltig konfiguration: LOGIN_METHODS har staff-oidc men OIDC_STAFF_ISSUER, OIDC_STAFF_CLIENT_ID och OIDC_STAFF_CLIENT_SECRET saknas');
  }
  if (!methods.has('email') && !methods.has('staff-oidc')) {
    throw new Error('Ogiltig konfiguration: utan email i LOGIN_METHODS behövs staff-oidc, annars kan personalen inte logga in');
  }
  if (!embedded && (methods.has('eid') || methods.has('staff-oidc')) && !e.PUBLIC_URL) {
    throw new Error('Ogiltig konfiguration: PUBLIC_URL krävs för inloggning med OpenID Connect (adressen leverantören skickar tillbaka till)');
  }
  return {
    emailLink: methods.has('email'),
    staffEmailLink: methods.has('email') && !methods.has('staff-oidc'),
    eid: methods.has('eid')
      ? { issuer: e.OIDC_ISSUER!, clientId: e.OIDC_CLIENT_ID!, clientSecret: e.OIDC_CLIENT_SECRET!, scopes: e.OIDC_SCOPES, personnummerClaim: e.OIDC_PERSONNUMMER_CLAIM }
      : null,
    staff: methods.has('staff-oidc')
      ? { issuer: e.OIDC_STAFF_ISSUER!, clientId: e.OIDC_STAFF_CLIENT_ID!, clientSecret: e.OIDC_STAFF_CLIENT_SECRET!, scopes: e.OIDC_STAFF_SCOPES, emailClaim: e.OIDC_STAFF_EMAIL_CLAIM }
      : null,
  };
}

export type Env = z.infer<typeof EnvSchema>;

export interface Config extends Env {
  /** Embedded = nothing configured: the launcher starts Temporal and PostgreSQL itself. */
  embedded: boolean;
  publicUrl: string;
  /** Cookies get `Secure` and the `__Host-` prefix when the public URL is https. */
  secureCookies: boolean;
  sessionSecret: string;
  databaseUrl: string;
  /** Connections per process (the embedded PostgreSQL is a real server: the same pool). */
  databasePoolSize: number;
  temporalAddress: string;
  /** Base address of the Temporal Web UI (no trailing slash); null: no link is shown. */
  temporalUiUrl: string | null;
  login: LoginConfig;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env, overrides: Partial<Config> = {}): Config {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    const fields = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new Error(`Ogiltig konfiguration (environment): ${fields}`);
  }
  const e = parsed.data;
  const embedded = !e.DATABASE_URL && !e.TEMPORAL_ADDRESS;
  if (!embedded && !e.SESSION_SECRET && !overrides.sessionSecret) {
    throw new Error('SESSION_SECRET (minst 32 tecken) krävs i produktionsläge');
  }
  const publicUrl = (e.PUBLIC_URL ?? `http://localhost:${e.PORT}`).replace(/\/$/, '');
  return {
    ...e,
    embedded,
    publicUrl,
    secureCookies: publicUrl.startsWith('https://'),
    sessionSecret: e.SESSION_SECRET ?? '',
    databaseUrl: e.DATABASE_URL ?? embeddedDatabaseUrl(e.DATA_DIR, e.EMBEDDED_PG_PORT),
    databasePoolSize: e.DATABASE_POOL_SIZE,
    temporalAddress: e.TEMPORAL_ADDRESS ?? `127.0.0.1:${e.EMBEDDED_TEMPORAL_PORT}`,
    login: loginConfig(e, embedded),
    temporalUiUrl: (e.TEMPORAL_UI_URL ?? (e.TEMPORAL_ADDRESS ? null : `http://localhost:${e.EMBEDDED_TEMPORAL_UI_PORT}`))?.replace(/\/$/, '') ?? null,
    ...overrides,
  };
}
