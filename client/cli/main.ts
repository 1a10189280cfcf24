import { createStorage } from '../../activities/storage/create-storage';
import { parseEnv } from '../../config/env';
import { loadSigningCredential } from '../../config/load-signing-credential';
import { connectCpo } from '../context';
import { runCli } from './run-cli';

let close: (() => Promise<void>) | undefined;

runCli(process.argv.slice(2), {
  stdout: (line) => console.log(line),
  stderr: (line) => console.error(line),
  connect: () => {
    const connected = connectCpo(parseEnv());
    close = connected.close;
    return Promise.resolve(connected.context);
  },
  documents: () => createStorage(parseEnv()).documents,
  districtCertificate: (district) => loadSigningCredential(parseEnv(), district).certificates[0]!,
})
  .then(async (code) => {
    await close?.();
    process.exit(code);
  })
  .catch((error) => {
    console.error(error);
    process.exit(1);
  });
