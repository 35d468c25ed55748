// TRUST_PROXY (issue 14): the client address is read from the right of X-Forwarded-For, as many
// hops as there are trusted proxies; what a client writes further left is never believed.
import { describe, expect, it } from 'vitest';
import { addressBehindProxies } from './rateLimit';

describe('addressBehindProxies', () => {
  it('uses the socket’s peer and ignores the header when no proxy is trusted', () => {
    expect(addressBehindProxies('203.0.113.9', '198.51.100.1', 0)).toBe('203.0.113.9');
  });

  it('takes the address the trusted proxies saw, counted from the right', () => {
    expect(addressBehindProxies('10.0.0.2', '198.51.100.1', 1)).toBe('198.51.100.1');
    expect(addressBehindProxies('10.0.0.2', '6.6.6.6, 198.51.100.1', 1)).toBe('198.51.100.1');
    expect(addressBehindProxies('10.0.0.3', '6.6.6.6, 198.51.100.1, 10.0.0.2', 2)).toBe('198.51.100.1');
  });

  it('stops at the leftmost entry when more hops are trusted than the header has', () => {
    expect(addressBehindProxies('10.0.0.2', '198.51.100.1', 3)).toBe('198.51.100.1');
  });

  it('falls back to the peer for a missing or empty entry', () => {
    expect(addressBehindProxies('10.0.0.2', undefined, 1)).toBe('10.0.0.2');
    expect(addressBehindProxies('10.0.0.2', ' , ', 1)).toBe('10.0.0.2');
  });
});
