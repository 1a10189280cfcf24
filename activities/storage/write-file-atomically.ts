import { randomUUID } from 'node:crypto';
import { rename, writeFile } from 'node:fs/promises';

/**
 * Writes a whole file or none: to a temporary name, then renamed into place. A worker killed mid-write leaves only
 * the temporary file, never a torn one that a retried activity would read.
 */
export async function writeFileAtomically(file: string, data: Parameters<typeof writeFile>[1]): Promise<void> {
  // Unique per write: two writes of one file at once (a retried activity beside its first attempt) each rename a whole file.
  const temporary = `${file}.${randomUUID()}.tmp`;
  await writeFile(temporary, data);
  await rename(temporary, file);
}
