import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createFolderSentMailLog, type TSentMail } from '../../activities/storage/sent-mail-log';
import { writeFileAtomically } from '../../activities/storage/write-file-atomically';

let folder: string;
beforeAll(async () => {
  folder = await mkdtemp(path.join(tmpdir(), 'cpo-sent-mail-'));
});
afterAll(() => rm(folder, { recursive: true, force: true }));

const entry: TSentMail = {
  idempotencyKey: 'contract-1/signature_request/1',
  messageId: '<m1@cpo>',
  sentAt: '2026-12-02T10:00:00.000Z',
  to: ['lan@p.example'],
};

// The reliability suite (worker-crash, seed 7) killed a worker while it wrote a record: every retry of that send then
// failed on the torn file ("Unexpected end of JSON input") until its attempts ran out.
test('a record is written whole under its own name, and a write cut short leaves no record behind', async () => {
  const log = createFolderSentMailLog(folder);
  await log.record(entry);
  expect(await log.find(entry.idempotencyKey)).toEqual(entry);
  expect((await readdir(folder)).filter((name) => name.endsWith('.tmp'))).toEqual([]);

  const cutShort = { ...entry, idempotencyKey: 'contract-2/signature_request/1' };
  const recordFile = `${createHash('sha256').update(cutShort.idempotencyKey).digest('hex')}.json`;
  // What a killed write leaves now: the record's temporary file, torn; the record itself does not exist yet.
  await writeFile(path.join(folder, `${recordFile}.0b7c1f2e.tmp`), JSON.stringify(cutShort).slice(0, 20));
  expect(await log.find(cutShort.idempotencyKey)).toBeNull();
  await log.record(cutShort);
  expect(await log.find(cutShort.idempotencyKey)).toEqual(cutShort);
  expect(await readdir(folder)).toContain(recordFile);
});

test('a write that breaks off midway leaves the file as it was, not torn', async () => {
  const file = path.join(folder, 'record.json');
  await writeFileAtomically(file, JSON.stringify(entry));
  function* cutOff() {
    yield '{"idempotencyKey":"contract-3/sign';
    throw new Error('the worker was killed');
  }
  await expect(writeFileAtomically(file, cutOff())).rejects.toThrow('the worker was killed');
  expect(JSON.parse(await readFile(file, 'utf8'))).toEqual(entry);
});
