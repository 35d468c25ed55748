// Issue 14, finding 5: the manager's address is compared with the applicant's as the mailbox it
// reaches, so a plus-address or a case variant of one's own is one's own.
import { describe, expect, it } from 'vitest';
import { parseDomainList } from '../settings';
import { isAtDomain, mailboxOf } from './enrolmentInput';

describe('mailboxOf', () => {
  it.each([
    ['me+boss@example.org', 'me@example.org'],
    ['ME@EXAMPLE.ORG', 'me@example.org'],
    ['Me+Chef+2@Example.Org', 'me@example.org'],
    ['m.e+x@gmail.com', 'me@gmail.com'],
    ['me@googlemail.com', 'me@gmail.com'],
  ])('reads %s as %s', (address, mailbox) => {
    expect(mailboxOf(address)).toBe(mailbox);
  });

  it('keeps dots where the provider does not ignore them', () => {
    expect(mailboxOf('per.rektor@stockholm.se')).not.toBe(mailboxOf('perrektor@stockholm.se'));
  });
});

describe('isAtDomain', () => {
  it('accepts the domain and its subdomains, not look-alikes', () => {
    expect(isAtDomain('a@stockholm.se', ['stockholm.se'])).toBe(true);
    expect(isAtDomain('a@edu.stockholm.se', ['stockholm.se'])).toBe(true);
    expect(isAtDomain('a@evilstockholm.se', ['stockholm.se'])).toBe(false);
    expect(isAtDomain('a@stockholm.se.evil.example', ['stockholm.se'])).toBe(false);
  });
});

describe('parseDomainList', () => {
  it('reads a typed list: lines, commas, a leading @, any case, each once', () => {
    expect(parseDomainList('@Stockholm.se\nedu.stockholm.se, stockholm.se ;skola.example.')).toEqual(['stockholm.se', 'edu.stockholm.se', 'skola.example']);
    expect(parseDomainList('  ')).toEqual([]);
  });

  it('refuses what is no domain name', () => {
    expect(parseDomainList('stockholm')).toBeNull();
    expect(parseDomainList('a@b.se')).toBeNull();
    expect(parseDomainList('-bad-.se')).toBeNull();
  });
});
