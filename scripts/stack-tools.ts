// The programs the production stack (`npm run stack`) runs besides Node, each found or built like the Temporal CLI
// (scripts/go-tool.ts). `npm run stack:setup` builds them ahead; `npm test`'s set-up does not need them.
import { findGoTool, type TGoTool } from './go-tool';

/** The server version the Temporal CLI v1.5.1 embeds; docker-compose.yml runs the same (a test checks). */
export const TEMPORAL_SERVER_VERSION = '1.29.1';
/** The nearest 1.27 release the Go module proxy serves (v1.27.8 answers 403 there). */
export const MAILPIT_VERSION = '1.27.11';

/** A program of the Temporal server module, at the server version. */
const temporalServerProgram = (label: string, command: string, pathName: string, envVar: string): TGoTool => ({
  label,
  module: `go.temporal.io/server/cmd/${command}@v${TEMPORAL_SERVER_VERSION}`,
  builtName: command.split('/').pop()!,
  pathName,
  envVar,
  buildEnv: { CGO_ENABLED: '0' },
});

export const TEMPORAL_SERVER = temporalServerProgram('the Temporal server', 'server', 'temporal-server', 'TEMPORAL_SERVER_PATH');
export const TEMPORAL_SQL_TOOL = temporalServerProgram(
  'the Temporal SQL schema tool',
  'tools/sql',
  'temporal-sql-tool',
  'TEMPORAL_SQL_TOOL_PATH',
);

export const MAILPIT: TGoTool = {
  label: 'Mailpit',
  module: `github.com/axllent/mailpit@v${MAILPIT_VERSION}`,
  builtName: 'mailpit',
  pathName: 'mailpit',
  envVar: 'MAILPIT_PATH',
  buildEnv: { CGO_ENABLED: '0' },
};

/** Each program's path, built when missing; throws naming the one that could not be had. */
export function findStackTools(tools: readonly TGoTool[] = [TEMPORAL_SERVER, TEMPORAL_SQL_TOOL, MAILPIT]): Map<TGoTool, string> {
  const found = new Map<TGoTool, string>();
  for (const tool of tools) {
    const result = findGoTool(tool);
    if (!result) throw new Error(`${tool.label} is missing and could not be built: install Go, or set ${tool.envVar} to its executable`);
    found.set(tool, result.path);
  }
  return found;
}

if (require.main === module) {
  for (const [tool, file] of findStackTools()) console.log(`${tool.label}: ${file}`);
}
