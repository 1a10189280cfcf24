import { rename, writeFile } from 'node:fs/promises';

/**
 * Writes a whole file or none: to a temporary name, then renamed into place. A worker killed mid-write leaves only
 * the temporary file, never a torn one that a retried activity would read.
 */
export async function writeFileAtomically(file: string, data: string | Uint8Array): Promise<void> {
  const temporary = `${file}.${process.pid}.tmp`;
  await writeFile(temporary, data);
  await rename(temporary, file);
}
