import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runStaffPasswordCommand } from '../../client/cli/commands/staff-password';
import { CpoInputError } from '../../client/errors';
import { ensureDevelopmentStaffFile, loadStaffUsers, type TStaffUser } from '../../config/load-staff-users';
import { hashStaffPassword, verifyStaffPassword } from '../../security/staff-password';
import { issueStaffSession, readStaffSession } from '../../security/staff-session';

const password = 'correct horse battery';
const hash = hashStaffPassword(password);
const secret = 's'.repeat(40);
const now = 1_900_000_000_000;

test('a password verifies against its hash and no other password does', () => {
  expect(hash).toMatch(/^scrypt\$16384\$8\$1\$[A-Za-z0-9_-]{22}\$[A-Za-z0-9_-]{43}$/);
  expect(verifyStaffPassword(password, hash)).toBe(true);
  expect(verifyStaffPassword('correct horse battery!', hash)).toBe(false);
  expect(verifyStaffPassword('', hash)).toBe(false);
});

test('two hashes of the same password differ (random salt) and both verify', () => {
  const other = hashStaffPassword(password);
  expect(other).not.toBe(hash);
  expect(verifyStaffPassword(password, other)).toBe(true);
});

test('a malformed or tampered hash is refused without throwing', () => {
  const parts = hash.split('$');
  const flipFirst = (text: string): string => (text[0] === 'A' ? 'B' : 'A') + text.slice(1);
  const tampered = [
    '',
    'scrypt',
    'bcrypt$16384$8$1$x$y',
    hash.replace('scrypt', 'SCRYPT'),
    hash.slice(0, -1),
    [...parts.slice(0, 5), flipFirst(parts[5]!)].join('$'),
    [...parts.slice(0, 4), flipFirst(parts[4]!), parts[5]].join('$'),
    hash.replace('$16384$', '$16385$'), // scrypt needs a power of two
    hash.replace('$16384$', '$16777216$'), // more memory than scrypt is allowed
    hash.replace('$16384$', '$8192$'),
  ];
  for (const stored of tampered) {
    expect(verifyStaffPassword(password, stored)).toBe(false);
  }
});

test('a session reads back with its username and expiry until it expires', () => {
  const cookie = issueStaffSession(secret, 'lan.nguyen', now);
  const eightHoursMs = 8 * 60 * 60 * 1000;
  expect(readStaffSession(secret, cookie, now)).toEqual({ username: 'lan.nguyen', expiresAtMs: now + eightHoursMs });
  expect(readStaffSession(secret, cookie, now + eightHoursMs - 1)).not.toBeNull();
  expect(readStaffSession(secret, cookie, now + eightHoursMs)).toBeNull();
  expect(readStaffSession(secret, issueStaffSession(secret, 'lan.nguyen', now, 1000), now + 1001)).toBeNull();
});

test('a forged, foreign or malformed session is refused', () => {
  const cookie = issueStaffSession(secret, 'lan.nguyen', now);
  const [payload, signature] = cookie.split('.') as [string, string];
  const flippedSignature = `${payload}.${signature[0] === 'A' ? 'B' : 'A'}${signature.slice(1)}`;
  const otherUser = `${Buffer.from(JSON.stringify({ u: 'admin', x: now + 1000 })).toString('base64url')}.${signature}`;
  for (const value of [flippedSignature, otherUser, undefined, '', 'abc', 'a.b', `${cookie}x`, cookie.replace('.', '')]) {
    expect(readStaffSession(secret, value, now)).toBeNull();
  }
  expect(readStaffSession('t'.repeat(40), cookie, now)).toBeNull();
});

describe('the staff users file', () => {
  const folder = mkdtempSync(path.join(tmpdir(), 'staff-'));
  const user: TStaffUser = {
    username: 'lan.nguyen',
    name: 'Lan Nguyen',
    email: 'lan@district.example',
    passwordHash: hash,
    access: { role: 'cpo' },
  };
  const writeStaffFile = (name: string, content: unknown): string => {
    const file = path.join(folder, name);
    writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content));
    return file;
  };
  afterAll(() => rmSync(folder, { recursive: true, force: true }));

  test('a valid file loads its users', () => {
    const file = writeStaffFile('valid.json', { users: [user, { ...user, username: 'ari' }] });
    expect(loadStaffUsers(file).map((u) => u.username)).toEqual(['lan.nguyen', 'ari']);
  });

  test('a missing file, bad JSON, a bad field or a duplicate username is refused with the file and field named', () => {
    const missing = path.join(folder, 'missing.json');
    expect(() => loadStaffUsers(missing)).toThrow(`CPO_STAFF_FILE ${missing}: cannot read: no such file`);
    const badJson = writeStaffFile('bad.json', '{ "users": [');
    expect(() => loadStaffUsers(badJson)).toThrow(`CPO_STAFF_FILE ${badJson}: not valid JSON`);
    const badHash = writeStaffFile('bad-hash.json', { users: [{ ...user, passwordHash: 'hunter2' }] });
    expect(() => loadStaffUsers(badHash)).toThrow(
      `CPO_STAFF_FILE ${badHash}: users.0.passwordHash: must be a hash made by \`npm run cpo -- staff-password\``,
    );
    const badUsername = writeStaffFile('bad-username.json', { users: [{ ...user, username: 'Lan Nguyen' }] });
    expect(() => loadStaffUsers(badUsername)).toThrow(`CPO_STAFF_FILE ${badUsername}: users.0.username: must be`);
    const noUsers = writeStaffFile('no-users.json', { users: [] });
    expect(() => loadStaffUsers(noUsers)).toThrow(`CPO_STAFF_FILE ${noUsers}: users: must list at least one user`);
    const duplicate = writeStaffFile('duplicate.json', { users: [user, { ...user, name: 'Another Lan' }] });
    expect(() => loadStaffUsers(duplicate)).toThrow(`CPO_STAFF_FILE ${duplicate}: users: username "lan.nguyen" appears more than once`);
  });

  test('the development file is made once, private, with a password that verifies, and then left alone', () => {
    const file = path.join(folder, 'nested', 'data', 'staff.json');
    const first = ensureDevelopmentStaffFile(file);
    expect(first).toEqual({ created: true, username: 'staff', password: expect.stringMatching(/^[A-Za-z0-9_-]{16}$/) });
    const [stored] = loadStaffUsers(file);
    expect(stored).toMatchObject({ username: 'staff', name: 'CPO Staff', email: 'staff@cpo.localhost' });
    expect(verifyStaffPassword(first.password!, stored!.passwordHash)).toBe(true);
    expect(statSync(file).mode & 0o777).toBe(0o600);

    const content = readFileSync(file, 'utf8');
    expect(ensureDevelopmentStaffFile(file)).toEqual({ created: false, username: 'staff' });
    expect(readFileSync(file, 'utf8')).toBe(content);
  });
});

test('the staff-password command hashes a long enough password and refuses a short one naming the field', () => {
  expect(verifyStaffPassword('twelve chars', runStaffPasswordCommand({ password: 'twelve chars' }))).toBe(true);
  let refusal: unknown;
  try {
    runStaffPasswordCommand({ password: 'short' });
  } catch (error) {
    refusal = error;
  }
  expect(refusal).toBeInstanceOf(CpoInputError);
  expect((refusal as CpoInputError).problems).toEqual([{ field: 'password', message: 'must be at least 12 characters' }]);
});
