// oidc-provider ships no types; the tests use a few of its calls (test/support/oidcProvider.ts).
declare module 'oidc-provider';
