import { createDirectoryReader } from '../../client/search/directory-reader';
import type { TDirectorySearch } from '../../client/search/partnership-directory';
import type { TDirectory } from '../../client/search/summarize-directory';

/** A stand-in for the visibility read that counts its calls and answers when told. */
function fakeTemporal() {
  const calls: TDirectorySearch[] = [];
  const answers: ((directory: TDirectory) => void)[] = [];
  const read = (search: TDirectorySearch) => {
    calls.push(search);
    return new Promise<TDirectory>((resolve) => answers.push(resolve));
  };
  const answer = (programs: number) => answers.shift()!({ partners: [], schools: [], totals: { partners: 0, programs, schools: 0 } });
  return { calls, read, answer };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('directory reader', () => {
  afterEach(() => jest.useRealTimers());

  it('shares one read between concurrent requests and answers from it while fresh', async () => {
    const temporal = fakeTemporal();
    const readDirectory = createDirectoryReader(temporal.read, { freshForMs: 30_000, staleAfterMs: 300_000 });
    const first = readDirectory({});
    const second = readDirectory({});
    await tick();
    temporal.answer(7);
    expect((await first).totals.programs).toBe(7);
    expect((await second).totals.programs).toBe(7);
    expect((await readDirectory({})).totals.programs).toBe(7);
    expect(temporal.calls).toHaveLength(1);
    const other = readDirectory({ school: 'Folwell' }); // another search is another read
    await tick();
    expect(temporal.calls).toEqual([{}, { school: 'Folwell' }]);
    temporal.answer(1);
    expect((await other).totals.programs).toBe(1);
  });

  it('answers a stale reading at once while reading again, and waits when it is too old', async () => {
    jest.useFakeTimers({ doNotFake: ['setImmediate'] });
    const temporal = fakeTemporal();
    const readDirectory = createDirectoryReader(temporal.read, { freshForMs: 30_000, staleAfterMs: 300_000 });
    const first = readDirectory({});
    await tick();
    temporal.answer(1);
    await first;
    jest.advanceTimersByTime(31_000);
    expect((await readDirectory({})).totals.programs).toBe(1); // stale, answered at once
    expect(temporal.calls).toHaveLength(2);
    temporal.answer(2);
    await tick();
    expect((await readDirectory({})).totals.programs).toBe(2);
    jest.advanceTimersByTime(301_000);
    const waited = readDirectory({});
    await tick();
    expect(temporal.calls).toHaveLength(3);
    temporal.answer(3);
    expect((await waited).totals.programs).toBe(3);
  });

  it('refuses a bad search before reading', async () => {
    const temporal = fakeTemporal();
    const readDirectory = createDirectoryReader(temporal.read, { freshForMs: 1, staleAfterMs: 2 });
    await expect(readDirectory({ service: 'juggling' })).rejects.toMatchObject({ problems: [{ field: 'service' }] });
    expect(temporal.calls).toEqual([]);
  });
});
