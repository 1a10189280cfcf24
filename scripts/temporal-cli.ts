// Finds or provisions the Temporal CLI (dev server with SQLite persistence and the Web UI), in this order:
// $TEMPORAL_CLI_PATH, `temporal` on PATH, a build cached in the user's cache folder, a fresh build from the
// Go module proxy into that cache; and when none works, undefined, so callers fall back to the SDK's download.
import { findGoTool, type TGoTool } from './go-tool';

/** Later tags carry a `replace` directive that `go install` refuses; this one installs. */
export const TEMPORAL_CLI_MODULE = 'github.com/temporalio/cli/cmd/temporal@v1.5.1';

const TEMPORAL_CLI: TGoTool = {
  label: 'the Temporal CLI',
  module: TEMPORAL_CLI_MODULE,
  builtName: 'temporal',
  pathName: 'temporal',
  envVar: 'TEMPORAL_CLI_PATH',
  buildEnv: { CGO_ENABLED: '0' },
};

export interface TFoundCli {
  path: string;
  source: 'TEMPORAL_CLI_PATH' | 'PATH' | 'cache' | 'go install';
}

export function findTemporalCli({ build = true, log = (line: string) => console.error(line) } = {}): TFoundCli | undefined {
  const found = findGoTool(TEMPORAL_CLI, { build, log });
  if (found) return { path: found.path, source: found.source === 'env' ? 'TEMPORAL_CLI_PATH' : found.source };
  log('No Temporal CLI found or built; falling back to the SDK download (needs internet access).');
  return undefined;
}

if (require.main === module) {
  const found = findTemporalCli();
  console.log(found ? `Temporal CLI (${found.source}): ${found.path}` : 'Temporal CLI: the SDK will download it');
}
