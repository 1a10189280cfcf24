import { randomBytes } from 'node:crypto';
import { createStorage, type TStorage } from '../../activities/storage/create-storage';
import { sha256Hex } from '../../activities/storage/document-store';
import type { TEnv } from '../../config/env';

export interface TStorageUnderTest {
  /** The configuration the stores are built from, through createStorage as the worker builds them. */
  env: TEnv;
  /** Replaces a stored document's bytes behind the store's back, as anyone with access to the folder or bucket could. */
  overwriteDocument(id: string, bytes: Uint8Array): Promise<void>;
  close(): Promise<void>;
}

const pdfBytes = (): Uint8Array => new Uint8Array(Buffer.concat([Buffer.from('%PDF-1.7\n'), randomBytes(2048), Buffer.from('\n%%EOF\n')]));

/** The tests every document store and sent-mail log passes, declared for one storage configuration. */
export function describeStorageContract(name: string, setUp: () => Promise<TStorageUnderTest>): void {
  describe(name, () => {
    let subject: TStorageUnderTest;
    let storage: TStorage;
    beforeAll(async () => {
      subject = await setUp();
      storage = createStorage(subject.env);
    });
    afterAll(() => subject?.close());

    test('a document is stored by content and read back byte for byte', async () => {
      const bytes = pdfBytes();
      const ref = await storage.documents.put(bytes, { kind: 'contract', filename: 'contract-c-1.pdf' });
      expect(ref).toEqual({
        id: `contract-${sha256Hex(bytes).slice(0, 24)}`,
        kind: 'contract',
        filename: 'contract-c-1.pdf',
        sha256: sha256Hex(bytes),
        size: bytes.byteLength,
      });
      expect(Buffer.from(await storage.documents.get(ref)).equals(Buffer.from(bytes))).toBe(true);
    });

    test('a retried write of the same bytes gives the same id; another kind gives another id', async () => {
      const bytes = pdfBytes();
      const first = await storage.documents.put(bytes, { kind: 'executed_contract', filename: 'executed.pdf' });
      const again = await storage.documents.put(bytes, { kind: 'executed_contract', filename: 'executed.pdf' });
      const asAttestation = await storage.documents.put(bytes, { kind: 'attestation', filename: 'attestation.pdf' });
      expect(again).toEqual(first);
      expect(asAttestation.id).toBe(`attestation-${first.sha256.slice(0, 24)}`);
      expect(sha256Hex(await storage.documents.get(asAttestation))).toBe(first.sha256);
    });

    test('another store built from the same configuration (another worker) reads what this one wrote', async () => {
      const ref = await storage.documents.put(pdfBytes(), { kind: 'contract', filename: 'shared.pdf' });
      const other = createStorage(subject.env);
      expect(sha256Hex(await other.documents.get(ref))).toBe(ref.sha256);
    });

    test('an id that is not a document id is refused before anything is read', async () => {
      const { sha256 } = await storage.documents.put(pdfBytes(), { kind: 'contract', filename: 'x.pdf' });
      for (const id of [
        '../signing-secret',
        `contract-${sha256.slice(0, 24)}/../x`,
        `contract-${sha256.slice(0, 23)}`,
        `Contract-${sha256.slice(0, 24)}`,
        '',
      ]) {
        await expect(storage.documents.get({ id, sha256 })).rejects.toMatchObject({
          message: `Not a document id: ${id}`,
          nonRetryable: true,
        });
      }
    });

    test('bytes that do not match the SHA-256 on record are refused as tampered', async () => {
      const ref = await storage.documents.put(pdfBytes(), { kind: 'contract', filename: 'tampered.pdf' });
      const tampered = { type: 'DocumentTampered', nonRetryable: true, message: `Document ${ref.id} does not match its SHA-256 on record` };
      await expect(storage.documents.get({ id: ref.id, sha256: sha256Hex(pdfBytes()) })).rejects.toMatchObject(tampered);
      const changed = new Uint8Array(await storage.documents.get(ref));
      changed[100] = changed[100]! ^ 0xff;
      await subject.overwriteDocument(ref.id, changed);
      await expect(storage.documents.get(ref)).rejects.toMatchObject(tampered);
    });

    test('a missing document is an error that names it', async () => {
      const sha256 = sha256Hex(pdfBytes());
      const id = `contract-${sha256.slice(0, 24)}`;
      await expect(storage.documents.get({ id, sha256 })).rejects.toThrow(id);
    });

    test('the sent-mail log finds what was recorded, by idempotency key, and nothing else', async () => {
      const key = `contract-c-1/signature_request/1/lan@hội.example?x=1`;
      const entry = {
        idempotencyKey: key,
        messageId: '<c-1.1@district.example>',
        sentAt: '2026-09-01T12:00:00.000Z',
        to: ['lan@hội.example'],
      };
      expect(await storage.sentMail.find(key)).toBeNull();
      await storage.sentMail.record(entry);
      expect(await storage.sentMail.find(key)).toEqual(entry);
      expect(await createStorage(subject.env).sentMail.find(key)).toEqual(entry);
      expect(await storage.sentMail.find(`${key}/2`)).toBeNull();
    });
  });
}
