import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseEnv } from '../../config/env';
import { createSelfSignedP12, EMBEDDED_P12_FILE, loadSigningCredential } from '../../config/load-signing-credential';

let dataDir: string;
beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'cpo-signing-credential-'));
});
afterAll(() => rm(dataDir, { recursive: true, force: true }));

const district = 'Minneapolis Public Schools';

test('embedded: a self-signed district certificate is generated once into the data folder, mode 0600', async () => {
  const env = parseEnv({ CPO_DATA_DIR: dataDir });
  const first = loadSigningCredential(env, district);
  expect(first.subject).toBe('CN=Minneapolis Public Schools Community Partnerships Office, O=Minneapolis Public Schools');
  expect((await stat(path.join(dataDir, EMBEDDED_P12_FILE))).mode & 0o777).toBe(0o600);
  expect(loadSigningCredential(env, district).certificates[0]!.equals(first.certificates[0]!)).toBe(true);
});

test('production requires the certificate, naming the variable; a path or base64 with its passphrase is read', async () => {
  expect(() => loadSigningCredential(parseEnv({ CPO_MODE: 'production', CPO_DATA_DIR: dataDir }), district)).toThrow(
    /CPO_SIGNING_P12_FILE \(or CPO_SIGNING_P12_BASE64\) is required when CPO_MODE=production/,
  );
  const p12 = createSelfSignedP12(district, new Date(), { passphrase: 'correct horse' });
  const file = path.join(dataDir, 'district.p12');
  await writeFile(file, p12);
  const fromFile = loadSigningCredential(
    parseEnv({ CPO_MODE: 'production', CPO_SIGNING_P12_FILE: file, CPO_SIGNING_P12_PASSPHRASE: 'correct horse' }),
    district,
  );
  const base64 = Buffer.from(p12).toString('base64');
  const fromBase64 = loadSigningCredential(
    parseEnv({ CPO_MODE: 'production', CPO_SIGNING_P12_BASE64: base64, CPO_SIGNING_P12_PASSPHRASE: 'correct horse' }),
    district,
  );
  expect(fromBase64.certificates[0]!.equals(fromFile.certificates[0]!)).toBe(true);
});

test('a wrong passphrase, an expired certificate, an unreadable file or a bad setting stop the start, naming the variable', async () => {
  const file = path.join(dataDir, 'locked.p12');
  await writeFile(file, createSelfSignedP12(district, new Date(), { passphrase: 'correct horse' }));
  expect(() =>
    loadSigningCredential(parseEnv({ CPO_MODE: 'production', CPO_SIGNING_P12_FILE: file, CPO_SIGNING_P12_PASSPHRASE: 'wrong' }), district),
  ).toThrow(
    'Invalid configuration: CPO_SIGNING_P12_FILE: cannot be opened: wrong passphrase or not a PKCS#12 file (check CPO_SIGNING_P12_PASSPHRASE)',
  );

  const expired = Buffer.from(createSelfSignedP12(district, new Date('2024-01-01T00:00:00Z'), { validDays: 365 })).toString('base64');
  expect(() => loadSigningCredential(parseEnv({ CPO_MODE: 'production', CPO_SIGNING_P12_BASE64: expired }), district)).toThrow(
    /^Invalid configuration: CPO_SIGNING_P12_BASE64: holds a certificate that expired on 2024-12-31T/,
  );

  expect(() => loadSigningCredential(parseEnv({ CPO_SIGNING_P12_FILE: path.join(dataDir, 'absent.p12') }), district)).toThrow(
    /CPO_SIGNING_P12_FILE: cannot read .*absent\.p12 \(ENOENT\)/,
  );
  expect(() =>
    loadSigningCredential(parseEnv({ CPO_SIGNING_P12_BASE64: Buffer.from('not a certificate').toString('base64') }), district),
  ).toThrow(/CPO_SIGNING_P12_BASE64: (is not a PKCS#12 file|cannot be opened)/);
  expect(() => parseEnv({ CPO_SIGNING_P12_BASE64: 'not base64!' })).toThrow(/CPO_SIGNING_P12_BASE64.*must be the PKCS#12 file in base64/);
  expect(() => parseEnv({ CPO_SIGNING_P12_FILE: file, CPO_SIGNING_P12_BASE64: 'AAAA' })).toThrow(
    'Invalid configuration: CPO_SIGNING_P12_FILE and CPO_SIGNING_P12_BASE64 are alternatives: set one, not both',
  );
});

test('the timestamp authority setting is checked (no authority is reachable here, so none is asked)', () => {
  expect(parseEnv({ CPO_SIGNING_TSA_URL: 'https://tsa.district.example/tsr' }).CPO_SIGNING_TSA_URL).toBe(
    'https://tsa.district.example/tsr',
  );
  expect(() => parseEnv({ CPO_SIGNING_TSA_URL: 'ftp://tsa.example' })).toThrow(
    /CPO_SIGNING_TSA_URL.*must be an http\(s\) URL of an RFC 3161 timestamp authority/,
  );
  expect(() => parseEnv({ CPO_SIGNING_TSA_URL: 'not a url' })).toThrow(/CPO_SIGNING_TSA_URL/);
});
