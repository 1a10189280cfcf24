import { createAnswerLimiter } from '../../inbound/answer-limiter';

const HOUR = 60 * 60_000;

test('at most perHour answers to one address within an hour of its first; then a new hour starts', () => {
  const limiter = createAnswerLimiter({ perHour: 2 });
  expect([0, 1_000, 2_000].map((t) => limiter.allow('lan@hoi.example', t))).toEqual([true, true, false]);
  // Addresses are compared without case; another address has its own count.
  expect(limiter.allow('LAN@hoi.example', 3_000)).toBe(false);
  expect(limiter.allow('cpo@mpls.k12.mn.us', 3_000)).toBe(true);
  expect(limiter.allow('lan@hoi.example', HOUR - 1)).toBe(false);
  expect(limiter.allow('lan@hoi.example', HOUR)).toBe(true);
});

test('keeps at most maxAddresses windows, the oldest going first', () => {
  const limiter = createAnswerLimiter({ perHour: 1, maxAddresses: 3 });
  for (const address of ['a@x.example', 'b@x.example', 'c@x.example', 'd@x.example']) expect(limiter.allow(address, 0)).toBe(true);
  // a@ was dropped to make room, so it may be answered again; d@ is still counted.
  expect(limiter.allow('a@x.example', 1)).toBe(true);
  expect(limiter.allow('d@x.example', 1)).toBe(false);
});
