import { parseInput } from '../errors';
import { ZDirectorySearchSchema, type TDirectorySearch } from './partnership-directory';
import type { TDirectory } from './summarize-directory';

export interface TDirectoryReading extends TDirectory {
  /** When this was read from Temporal's visibility store. */
  readAt: string;
}

interface TEntry {
  reading: TDirectoryReading;
  readAtMs: number;
}

/**
 * The directory reads every open contract, which takes seconds for a whole district of thousands; it changes
 * slowly. Each search is read from Temporal at most once per `freshForMs`: an older reading is answered at once
 * while a new one is read in the background, and one older than `staleAfterMs` is read again before answering.
 * Concurrent requests for the same search share one read.
 */
export function createDirectoryReader(
  readFromTemporal: (search: TDirectorySearch) => Promise<TDirectory>,
  options: { freshForMs: number; staleAfterMs: number; maxEntries?: number },
) {
  const entries = new Map<string, TEntry>();
  const inFlight = new Map<string, Promise<TDirectoryReading>>();
  const maxEntries = options.maxEntries ?? 200;

  function read(key: string, search: TDirectorySearch): Promise<TDirectoryReading> {
    const pending = inFlight.get(key);
    if (pending) return pending;
    const reading = readFromTemporal(search)
      .then((directory) => {
        const readAtMs = Date.now();
        const fresh = { ...directory, readAt: new Date(readAtMs).toISOString() };
        entries.delete(key); // re-inserted last: the map's order is the eviction order
        entries.set(key, { reading: fresh, readAtMs });
        while (entries.size > maxEntries) entries.delete(entries.keys().next().value!);
        return fresh;
      })
      .finally(() => inFlight.delete(key));
    inFlight.set(key, reading);
    return reading;
  }

  return async function readDirectory(raw: unknown): Promise<TDirectoryReading> {
    const search = parseInput(ZDirectorySearchSchema, raw);
    const key = JSON.stringify(Object.entries(search).sort());
    const entry = entries.get(key);
    const ageMs = entry ? Date.now() - entry.readAtMs : Infinity;
    if (entry && ageMs < options.freshForMs) return entry.reading;
    if (entry && ageMs < options.staleAfterMs) {
      read(key, search).catch(() => undefined); // the next request sees the error, if it persists
      return entry.reading;
    }
    return read(key, search);
  };
}
export type TDirectoryReader = ReturnType<typeof createDirectoryReader>;
