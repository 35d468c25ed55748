// A real OpenID provider (oidc-provider) for the login tests, on a free port: the city's
// e-legitimation broker or its staff identity provider. The test says who logs in next (an account
// and its claims); a tiny interaction handler logs them in and grants what was asked, as the person
// would in the provider's own pages. `tamper` changes the next ID token the token endpoint gives
// out, signed again with the provider's own key: a token for another audience, an expired one.
import { createPrivateKey, generateKeyPairSync, randomUUID, sign } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider from 'oidc-provider';
import { AFTER_LOGOUT_PATH, CALLBACK_PATH } from '../../lib/auth/oidc';

export const PNR_CLAIM = 'https://id.oidc.se/claim/personalIdentityNumber';
export const PNR_SCOPE = 'https://id.oidc.se/scope/naturalPersonNumber';

export type Claims = Record<string, unknown>;

export interface TestOidcProvider {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** The account the next login is for, with its claims (sub is the key). */
  accounts: Map<string, Claims>;
  nextLogin: string | null;
  /** Changes the payload of the next ID token the token endpoint answers with (once). */
  tamper: ((payload: Claims) => Claims) | null;
  /** How many times the token endpoint refused a request (a used code, a wrong verifier). */
  tokenErrors: number;
  /** Follows the browser from Komet's redirect through the provider back to Komet: the callback's path and query. */
  signIn(authorizationUrl: string, accountId: string): Promise<string>;
  close(): Promise<void>;
}

export async function startOidcProvider(publicUrl: string, kind: 'eid' | 'staff-oidc'): Promise<TestOidcProvider> {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const kid = `test-${randomUUID().slice(0, 8)}`;
  const jwk = { ...privateKey.export({ format: 'jwk' }), kid, use: 'sig', alg: 'RS256' };
  const clientId = kind === 'eid' ? 'komet-eid' : 'komet-staff';
  const clientSecret = `secret-${randomUUID()}`;

  const server: Server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://localhost:${(server.address() as AddressInfo).port}`;

  const state: Pick<TestOidcProvider, 'accounts' | 'nextLogin' | 'tamper' | 'tokenErrors'> = {
    accounts: new Map(),
    nextLogin: null,
    tamper: null,
    tokenErrors: 0,
  };

  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: clientId,
        client_secret: clientSecret,
        redirect_uris: [publicUrl + CALLBACK_PATH[kind]],
        post_logout_redirect_uris: [publicUrl + AFTER_LOGOUT_PATH],
        grant_types: ['authorization_code'],
        response_types: ['code'],
      },
    ],
    jwks: { keys: [jwk] },
    cookies: { keys: [randomUUID()] },
    pkce: { required: () => true },
    // The claims of the requested scopes go into the ID token, as the Swedish OIDC profile has it.
    conformIdTokenClaims: false,
    claims: {
      openid: ['sub'],
      email: ['email', 'email_verified'],
      profile: ['name', 'given_name', 'family_name'],
      [PNR_SCOPE]: [PNR_CLAIM],
    },
    features: { devInteractions: { enabled: false }, rpInitiatedLogout: { enabled: true } },
    interactions: { url: (_ctx: unknown, interaction: { uid: string }) => `/interaction/${interaction.uid}` },
    async findAccount(_ctx: unknown, id: string) {
      const claims = state.accounts.get(id);
      if (!claims) return undefined;
      return { accountId: id, claims: async () => ({ sub: id, ...claims }) };
    },
  });

  provider.use(async (ctx: { path: string; body: unknown; status: number }, next: () => Promise<void>) => {
    await next();
    if (ctx.path !== '/token') return;
    if (ctx.status >= 400) state.tokenErrors += 1;
    const body = ctx.body as { id_token?: string } | undefined;
    if (state.tamper && body?.id_token) {
      const change = state.tamper;
      state.tamper = null;
      ctx.body = { ...body, id_token: resign(body.id_token, change, jwk) };
    }
  });

  const callback = provider.callback();
  server.on('request', async (req, res) => {
    if (!req.url?.startsWith('/interaction/')) return callback(req, res);
    try {
      const details = await provider.interactionDetails(req, res);
      if (details.prompt.name === 'login') {
        await provider.interactionFinished(req, res, { login: { accountId: state.nextLogin } }, { mergeWithLastSubmission: false });
        return;
      }
      const grant = new provider.Grant({ accountId: details.session.accountId, clientId: details.params.client_id });
      grant.addOIDCScope(String(details.params.scope));
      if (details.prompt.details.missingOIDCClaims) grant.addOIDCClaims(details.prompt.details.missingOIDCClaims);
      await provider.interactionFinished(req, res, { consent: { grantId: await grant.save() } }, { mergeWithLastSubmission: true });
    } catch (err) {
      res.statusCode = 500;
      res.end(String(err));
    }
  });

  return {
    issuer,
    clientId,
    clientSecret,
    get accounts() {
      return state.accounts;
    },
    get nextLogin() {
      return state.nextLogin;
    },
    set nextLogin(v) {
      state.nextLogin = v;
    },
    get tamper() {
      return state.tamper;
    },
    set tamper(v) {
      state.tamper = v;
    },
    get tokenErrors() {
      return state.tokenErrors;
    },
    async signIn(authorizationUrl, accountId) {
      state.nextLogin = accountId;
      // A browser of its own at the provider: its cookies, redirects followed until Komet's address.
      const jar = new Map<string, string>();
      let url = authorizationUrl;
      for (let hop = 0; hop < 12; hop++) {
        if (url.startsWith(publicUrl)) return url.slice(publicUrl.length);
        const res = await fetch(url, { redirect: 'manual', headers: { cookie: [...jar].map(([k, v]) => `${k}=${v}`).join('; ') } });
        for (const line of res.headers.getSetCookie()) {
          const [pair] = line.split(';');
          const at = pair.indexOf('=');
          const value = pair.slice(at + 1);
          if (value) jar.set(pair.slice(0, at).trim(), value);
          else jar.delete(pair.slice(0, at).trim());
        }
        const location = res.headers.get('location');
        if (!location) throw new Error(`the provider answered ${res.status} without a redirect: ${(await res.text()).slice(0, 300)}`);
        url = new URL(location, url).href;
      }
      throw new Error('too many redirects at the provider');
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** The token with its payload changed, signed again with the provider's key (same kid). */
function resign(token: string, change: (payload: Claims) => Claims, jwk: Record<string, unknown>): string {
  const [header, payload] = token.split('.');
  const changed = Buffer.from(JSON.stringify(change(JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')))), 'utf8').toString('base64url');
  const key = createPrivateKey({ key: jwk as never, format: 'jwk' });
  const signature = sign('sha256', Buffer.from(`${header}.${changed}`), key).toString('base64url');
  return `${header}.${changed}.${signature}`;
}
