import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { TEMPORAL_BACKENDS, type TTemporalBackend } from '../../scripts/temporal-backend';

// The dashboard benchmark's constants and command-line options.

export const REPO_ROOT = path.resolve(__dirname, '..', '..');
export const RESULTS_DIR = path.join(__dirname, '..', 'results');
const DEFAULT_LEVELS = [1_000, 10_000];
export const TARGET_P95_MS = 300;
export const PARTNER_COUNT = 50;
/** Every fifth partner is certified with its attestation on file: 10 of 50, spread over all service types. */
export const isCertifiedPartner = (index: number): boolean => index % 5 === 0;
export const STARTS_IN_FLIGHT = 32;
export const PARTNER_SETUPS_IN_FLIGHT = 8;
export const WARM_UP_REQUESTS = 10;
/** Endpoints that read every open contract get fewer samples. */
export const HEAVY_SAMPLES = 20;
export const HEAVY_WARM_UP = 3;
/** Give up settling when nothing has moved for this long. */
export const SETTLE_STALL_MS = 180_000;
/** A request answered 503 is sent again at most this many times before the benchmark stops. */
export const MAX_ATTEMPTS_ON_503 = 20;
export const STAFF = {
  username: 'bench',
  name: 'Bench Staff',
  email: 'bench@cpo.localhost',
  password: randomBytes(12).toString('base64url'),
};

export interface TOptions {
  levels: number[];
  samples: number;
  /** The Temporal server: the dev server on SQLite, or the production configuration on PostgreSQL visibility. */
  stack: TTemporalBackend;
}

export function parseOptions(argv: string[]): TOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      contracts: { type: 'string', multiple: true },
      samples: { type: 'string', default: '200' },
      stack: { type: 'string', default: 'dev' },
    },
  });
  const positiveInteger = (text: string, flag: string): number => {
    const value = Number(text.replace(/[_,]/g, ''));
    if (!Number.isInteger(value) || value < 1) throw new Error(`--${flag} ${text}: must be a positive whole number`);
    return value;
  };
  // `--contracts 1000 --contracts 10000` or `--contracts 1000,10000`; the levels grow one server, so ascending.
  const levels = (values.contracts ?? [])
    .flatMap((item) => item.split(/[\s,]+/).filter(Boolean))
    .map((item) => positiveInteger(item, 'contracts'));
  return {
    levels: levels.length > 0 ? [...new Set(levels)].sort((a, b) => a - b) : DEFAULT_LEVELS,
    samples: positiveInteger(values.samples, 'samples'),
    stack: stackOption(values.stack),
  };
}

function stackOption(text: string): TTemporalBackend {
  const stack = TEMPORAL_BACKENDS.find((name) => name === text);
  if (!stack) throw new Error(`--stack ${text}: must be one of ${TEMPORAL_BACKENDS.join(', ')}`);
  return stack;
}
