// LOGIN_METHODS and the OpenID settings (issue 15): what is offered, and a clear refusal at start
// when a chosen method is not configured or a provider's settings are incomplete.
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../config';

const EID = { OIDC_ISSUER: 'https://eid.example', OIDC_CLIENT_ID: 'komet', OIDC_CLIENT_SECRET: 's3cret' };
const STAFF = { OIDC_STAFF_ISSUER: 'https://idp.example', OIDC_STAFF_CLIENT_ID: 'komet-staff', OIDC_STAFF_CLIENT_SECRET: 's3cret' };

describe('login configuration', () => {
  it('is the e-mail link alone when nothing is configured (the embedded default)', () => {
    const { login } = loadConfig({});
    expect(login).toMatchObject({ emailLink: true, staffEmailLink: true, eid: null, staff: null });
  });

  it('adds e-legitimation and the staff provider when configured, and then staff no longer log in by e-mail', () => {
    const { login } = loadConfig({ ...EID, ...STAFF });
    expect(login.emailLink).toBe(true);
    expect(login.staffEmailLink).toBe(false);
    expect(login.eid).toMatchObject({ issuer: 'https://eid.example', personnummerClaim: 'https://id.oidc.se/claim/personalIdentityNumber' });
    expect(login.staff).toMatchObject({ clientId: 'komet-staff', emailClaim: 'email' });
  });

  it('switches the e-mail link off with LOGIN_METHODS', () => {
    const { login } = loadConfig({ ...EID, ...STAFF, LOGIN_METHODS: 'eid,staff-oidc' });
    expect(login.emailLink).toBe(false);
  });

  it('takes another personnummer claim name', () => {
    expect(loadConfig({ ...EID, OIDC_PERSONNUMMER_CLAIM: 'pnr' }).login.eid?.personnummerClaim).toBe('pnr');
  });

  it.each([
    ['a provider with its secret missing', { OIDC_ISSUER: 'https://eid.example', OIDC_CLIENT_ID: 'komet' }, /OIDC_CLIENT_SECRET/],
    ['staff settings half given', { OIDC_STAFF_CLIENT_ID: 'x' }, /OIDC_STAFF_ISSUER and OIDC_STAFF_CLIENT_SECRET/],
    ['eid chosen but not configured', { LOGIN_METHODS: 'email,eid' }, /LOGIN_METHODS har eid/],
    ['staff-oidc chosen but not configured', { LOGIN_METHODS: 'email,staff-oidc' }, /LOGIN_METHODS har staff-oidc/],
    ['an unknown method', { LOGIN_METHODS: 'email,bankid' }, /känner inte bankid/],
    ['no way for staff to log in', { ...EID, LOGIN_METHODS: 'eid' }, /personalen/],
    ['production without PUBLIC_URL', { ...EID, DATABASE_URL: 'postgresql://db/komet', SESSION_SECRET: 'x'.repeat(32) }, /PUBLIC_URL/],
  ])('refuses to start with %s', (_name, env, message) => {
    expect(() => loadConfig(env)).toThrow(message);
  });
});
