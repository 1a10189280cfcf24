import path from 'node:path';
import { createFolderDocumentStore } from '../../activities/storage/document-store';
import { parseEnv } from '../../config/env';
import { connectCpo } from '../context';
import { runCli } from './run-cli';

let close: (() => Promise<void>) | undefined;

runCli(process.argv.slice(2), {
  stdout: (line) => console.log(line),
  stderr: (line) => console.error(line),
  connect: async () => {
    const connected = connectCpo(parseEnv());
    close = connected.close;
    return connected.context;
  },
  documents: () => createFolderDocumentStore(path.join(parseEnv().CPO_DATA_DIR, 'documents')),
})
  .then(async (code) => {
    await close?.();
    process.exit(code);
  })
  .catch((error) => {
    console.error(error);
    process.exit(1);
  });
