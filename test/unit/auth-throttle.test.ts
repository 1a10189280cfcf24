import { createAuthThrottle } from '../../server/dashboard/auth-throttle';

const LIMITS = { perAddress: { failures: 3, windowMs: 60_000 }, perAccount: { failures: 5, windowMs: 600_000 } };

function throttleAt(startMs = 1_000_000) {
  const clock = { now: startMs };
  return { clock, throttle: createAuthThrottle(LIMITS, () => clock.now) };
}

test('an address is stopped after its failures and told when to come back; another address is not', () => {
  const { clock, throttle } = throttleAt();
  for (let i = 0; i < 3; i++) {
    expect(throttle.retryAfterSeconds('10.0.0.1', 'dana')).toBe(0);
    throttle.recordFailure('10.0.0.1', 'dana');
    clock.now += 1_000;
  }
  // The first failure leaves the window 60 s after it was made: 57 s from now.
  expect(throttle.retryAfterSeconds('10.0.0.1', 'dana')).toBe(57);
  expect(throttle.retryAfterSeconds('10.0.0.1', 'someone-else')).toBe(57);
  expect(throttle.retryAfterSeconds('10.0.0.2', 'dana')).toBe(0);
  clock.now += 57_000;
  expect(throttle.retryAfterSeconds('10.0.0.1', 'dana')).toBe(0);
});

test('guessing one account from many addresses stops that account for minutes, then it lifts by itself', () => {
  const { clock, throttle } = throttleAt();
  for (let i = 0; i < 5; i++) throttle.recordFailure(`10.0.1.${i}`, 'Dana ');
  expect(throttle.retryAfterSeconds('10.0.9.9', 'dana')).toBe(600);
  expect(throttle.retryAfterSeconds('10.0.9.9', 'pat')).toBe(0);
  clock.now += 600_000;
  expect(throttle.retryAfterSeconds('10.0.9.9', 'dana')).toBe(0);
});
