// OpenID Connect login (issue 15) with openid-client: authorization code flow with PKCE, `state` and
// `nonce`. Two providers: the city's e-legitimation broker for citizens (BankID, Freja eID) and the
// city's identity provider for staff. Komet only reads who the person is; roles come from its grants.
import * as client from 'openid-client';
import type { Config, OidcClientConfig } from '../config';

export type OidcKind = 'eid' | 'staff-oidc';

/** Where each provider sends the browser back to (registered as the client's redirect_uri). */
export const CALLBACK_PATH: Record<OidcKind, string> = {
  eid: '/logga-in/e-legitimation/klar',
  'staff-oidc': '/logga-in/medarbetare/klar',
};

/** Where the provider returns after ending its session (post_logout_redirect_uri). */
export const AFTER_LOGOUT_PATH = '/logga-ut/klar';

/** What the browser carries (sealed) from the start of a login to its return. */
export interface OidcTransaction {
  kind: OidcKind;
  state: string;
  nonce: string;
  verifier: string;
  next: string;
}

export const TRANSACTION_TTL_MS = 10 * 60 * 1000;

/**
 * Why a login was refused, for the page that says so: `state` (the answer does not belong to a login
 * begun in this browser, or it was too old), `cancelled` (the person or the provider stopped it),
 * `token` (the provider's answer could not be trusted: a used code, another audience, expired),
 * `unavailable` (the provider could not be reached).
 */
export type OidcRefusal = 'state' | 'cancelled' | 'token' | 'unavailable';

export class OidcRefused extends Error {
  constructor(
    readonly reason: OidcRefusal,
    /** For the log: the library's error code, never a claim or a token. */
    readonly detail = '',
  ) {
    super(`oidc login refused: ${reason}${detail ? ` (${detail})` : ''}`);
  }
}

export function providerSettings(config: Config, kind: OidcKind): OidcClientConfig | null {
  return kind === 'eid' ? config.login.eid : config.login.staff;
}

// Discovery once per process and provider; a failed one is tried again at the next login.
const discovered = new WeakMap<Config, Map<OidcKind, Promise<client.Configuration>>>();

export function providerConfiguration(config: Config, kind: OidcKind): Promise<client.Configuration> {
  const settings = providerSettings(config, kind);
  if (!settings) return Promise.reject(new OidcRefused('unavailable', 'not configured'));
  let byKind = discovered.get(config);
  if (!byKind) discovered.set(config, (byKind = new Map()));
  let found = byKind.get(kind);
  if (!found) {
    found = discover(settings).catch((err) => {
      byKind.delete(kind);
      throw new OidcRefused('unavailable', errorCode(err));
    });
    byKind.set(kind, found);
  }
  return found;
}

function discover(settings: OidcClientConfig): Promise<client.Configuration> {
  const issuer = new URL(settings.issuer);
  // Plain http only for a provider on this machine (development and the tests); production is https.
  const local = issuer.protocol === 'http:' && ['localhost', '127.0.0.1', '[::1]'].includes(issuer.hostname);
  return client.discovery(issuer, settings.clientId, settings.clientSecret, undefined, local ? { execute: [client.allowInsecureRequests] } : undefined);
}

/** The provider's authorization address, and the transaction the browser keeps until it returns. */
export async function beginLogin(config: Config, kind: OidcKind, next: string): Promise<{ url: URL; transaction: OidcTransaction }> {
  const settings = providerSettings(config, kind)!;
  const configuration = await providerConfiguration(config, kind);
  const transaction: OidcTransaction = {
    kind,
    state: client.randomState(),
    nonce: client.randomNonce(),
    verifier: client.randomPKCECodeVerifier(),
    next,
  };
  const url = client.buildAuthorizationUrl(configuration, {
    redirect_uri: config.publicUrl + CALLBACK_PATH[kind],
    scope: settings.scopes,
    code_challenge: await client.calculatePKCECodeChallenge(transaction.verifier),
    code_challenge_method: 'S256',
    state: transaction.state,
    nonce: transaction.nonce,
  });
  return { url, transaction };
}

/**
 * The provider's answer (the callback's query) checked and exchanged: state, PKCE, then the ID
 * token's signature, issuer, audience, expiry and nonce (openid-client). Throws OidcRefused.
 */
export async function completeLogin(
  config: Config,
  kind: OidcKind,
  query: string,
  transaction: OidcTransaction | null,
): Promise<{ claims: client.IDToken; idToken: string }> {
  if (!transaction || transaction.kind !== kind) throw new OidcRefused('state', 'no transaction');
  const params = new URLSearchParams(query);
  if (params.has('error')) throw new OidcRefused('cancelled', params.get('error')?.slice(0, 40) ?? '');
  const configuration = await providerConfiguration(config, kind);
  // The address the provider returned to, as registered: openid-client sends it as redirect_uri.
  const currentUrl = new URL(config.publicUrl + CALLBACK_PATH[kind]);
  currentUrl.search = params.toString();
  try {
    const tokens = await client.authorizationCodeGrant(configuration, currentUrl, {
      pkceCodeVerifier: transaction.verifier,
      expectedState: transaction.state,
      expectedNonce: transaction.nonce,
      idTokenExpected: true,
    });
    const claims = tokens.claims();
    if (!claims || !tokens.id_token) throw new OidcRefused('token', 'no id_token');
    return { claims, idToken: tokens.id_token };
  } catch (err) {
    if (err instanceof OidcRefused) throw err;
    throw classify(err);
  }
}

function classify(err: unknown): OidcRefused {
  const code = errorCode(err);
  // openid-client wraps oauth4webapi's error: the check that failed is named in either message.
  const messages = [err, (err as { cause?: unknown })?.cause].map((e) => (e instanceof Error ? e.message : '')).join(' ');
  if (/"state"/.test(messages)) return new OidcRefused('state', code);
  // fetch failed: the provider's token endpoint could not be reached.
  if (err instanceof TypeError) return new OidcRefused('unavailable', code);
  return new OidcRefused('token', code);
}

function errorCode(err: unknown): string {
  if (err instanceof OidcRefused) return err.detail;
  const e = err as { code?: unknown; error?: unknown; name?: unknown };
  return [e?.name, e?.code, e?.error].filter((x) => typeof x === 'string').join(' ').slice(0, 120);
}

/**
 * The provider's logout address when it has one (end_session_endpoint), else null: the local
 * session is then all there is to end.
 */
export async function endSessionUrl(config: Config, kind: OidcKind, idToken: string | null): Promise<URL | null> {
  try {
    const configuration = await providerConfiguration(config, kind);
    if (!configuration.serverMetadata().end_session_endpoint) return null;
    return client.buildEndSessionUrl(configuration, {
      post_logout_redirect_uri: config.publicUrl + AFTER_LOGOUT_PATH,
      ...(idToken ? { id_token_hint: idToken } : { client_id: providerSettings(config, kind)!.clientId }),
    });
  } catch {
    return null; // the provider is away: logging out of Komet must still work
  }
}
