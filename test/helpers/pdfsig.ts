import { execFile } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';

const OUTPUT = path.join(__dirname, '..', '..', 'test-output', 'pdfsig');

/** poppler's own verifier (`pdfsig`, Debian poppler-utils) on `bytes`: its report, whatever its exit code. */
export async function pdfsig(name: string, bytes: Uint8Array): Promise<string> {
  await mkdir(OUTPUT, { recursive: true });
  const file = path.join(OUTPUT, `${process.pid}-${name}.pdf`);
  await writeFile(file, bytes);
  try {
    return (await promisify(execFile)('pdfsig', [file])).stdout;
  } catch (error) {
    const { stdout, stderr } = error as { stdout?: string; stderr?: string };
    return `${stdout ?? ''}${stderr ?? ''}`;
  }
}

/**
 * `bytes` with an incremental update appended, as a PDF editor saves a change: a new Info dictionary, a cross-reference
 * section for it and a trailer pointing back to the previous one.
 */
export function appendIncrementalUpdate(bytes: Uint8Array): Uint8Array {
  const text = Buffer.from(bytes).toString('latin1');
  const trailer = text.slice(text.lastIndexOf('trailer'));
  const size = Number(/\/Size (\d+)/.exec(trailer)![1]);
  const root = /\/Root (\d+ \d+ R)/.exec(trailer)![1];
  const previous = Number(/startxref\s+(\d+)/.exec(text.slice(text.lastIndexOf('startxref')))![1]);
  const object = `\n${size} 0 obj\n<< /Producer (changed after signing) >>\nendobj\n`;
  const xrefAt = bytes.byteLength + object.length;
  const update = `${object}xref\n0 1\n0000000000 65535 f \n${size} 1\n${String(bytes.byteLength + 1).padStart(10, '0')} 00000 n \ntrailer\n<< /Size ${size + 1} /Root ${root} /Info ${size} 0 R /Prev ${previous} >>\nstartxref\n${xrefAt}\n%%EOF\n`;
  return Buffer.concat([Buffer.from(bytes), Buffer.from(update, 'latin1')]);
}
