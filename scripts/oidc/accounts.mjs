// Static test accounts of the development OpenID provider. NOT real people, NOT real passwords: this
// provider exists for tests and local development only.
//
// The login name is also the subject (`sub`), so a review can name its members before they ever sign in.
// `roles` is the claim the server reads for staff roles; "secretariat" marks secretariat staff.
import { timingSafeEqual, createHash } from 'node:crypto';

/** Every account's password unless OIDC_TEST_PASSWORD says otherwise. */
export const defaultPassword = 'sdlg-dev-password';

const definitions = [
  { sub: 'ana@under-review', name: 'Ana Alves', roles: [] },
  { sub: 'fiona@under-review', name: 'Fiona Fernandes', roles: [] },
  { sub: 'ben@reviewing-a', name: 'Ben Brandt', roles: [] },
  { sub: 'chen@reviewing-b', name: 'Chen Chao', roles: [] },
  { sub: 'sam@secretariat', name: 'Sam Sato', roles: ['secretariat'] },
  { sub: 'oscar@observer', name: 'Oscar Okafor', roles: ['observer'] },
];

export function createAccounts(password = defaultPassword) {
  const byId = new Map(definitions.map((account) => [account.sub, Object.freeze({ ...account })]));

  return {
    /** The account, or undefined when the login is unknown or the password does not match. */
    authenticate(login, candidate) {
      const account = typeof login === 'string' ? byId.get(login.trim().toLowerCase()) : undefined;
      // Compare digests so that the comparison takes the same time whatever the lengths.
      const given = createHash('sha256').update(String(candidate ?? '')).digest();
      const expected = createHash('sha256').update(password).digest();
      const passwordOk = timingSafeEqual(given, expected);
      return account && passwordOk ? account : undefined;
    },

    find(sub) {
      return byId.get(sub);
    },

    list() {
      return [...byId.values()];
    },
  };
}

/** The claims of an account as oidc-provider's findAccount expects them. */
export function claimsOf(account) {
  return {
    sub: account.sub,
    name: account.name,
    preferred_username: account.sub,
    email: account.sub.replace('@', '.') + '@example.invalid',
    email_verified: false,
    roles: account.roles,
  };
}
