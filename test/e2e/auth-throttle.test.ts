// Password guessing is throttled on every path, over real HTTP: HTTP Basic on the API, the sign-in form; the
// guesser's address gets 429 with Retry-After, the real user signing in from elsewhere is not locked out, and the
// log names each failure without the password.
import { PassThrough } from 'node:stream';
import { z } from 'zod';
import { httpRequest } from '../helpers/http-client';
import { parseJson } from '../helpers/parse-json';
import { useRealPipeline } from '../helpers/real-pipeline';
import { basicAuth, STAFF, testStaffAuth } from '../helpers/staff';
import { useTemporalTestEnvironment } from '../helpers/temporal';

const log = new PassThrough();
const logged: string[] = [];
log.on('data', (chunk: Buffer) => logged.push(chunk.toString('utf8')));

const temporal = useTemporalTestEnvironment();
const pipeline = useRealPipeline(temporal, { server: { staff: testStaffAuth(), logStream: log } });

const GUESSER = '127.0.0.77';
const ZAuthFailureLineSchema = z.object({ authFailure: z.unknown() });
const wrongBasic = `Basic ${Buffer.from(`${STAFF.director.username}:not-the-password-${Date.now()}`).toString('base64')}`;

test('40 wrong Basic passwords against /api/board get 429 with Retry-After; the right password from another address still works', async () => {
  const answers: { status: number; retryAfter: string | undefined }[] = [];
  for (let attempt = 0; attempt < 40; attempt++) {
    const response = await httpRequest(pipeline.baseUrl, { path: '/api/board', headers: { authorization: wrongBasic }, from: GUESSER });
    answers.push({ status: response.status, retryAfter: response.headers['retry-after'] });
  }
  expect(answers.slice(0, 10).map((a) => a.status)).toEqual(Array(10).fill(401));
  expect(answers.slice(10).map((a) => a.status)).toEqual(Array(30).fill(429));
  for (const { retryAfter } of answers.slice(10)) expect(Number(retryAfter)).toBeGreaterThanOrEqual(1);
  expect(Number(answers[39]!.retryAfter)).toBeLessThanOrEqual(60);

  // Even the right password is not checked from the guessing address until its window passes.
  const fromGuesser = await httpRequest(pipeline.baseUrl, {
    path: '/api/board',
    headers: { authorization: basicAuth('director') },
    from: GUESSER,
  });
  expect(fromGuesser.status).toBe(429);
  const realUser = await httpRequest(pipeline.baseUrl, {
    path: '/api/board',
    headers: { authorization: basicAuth('director') },
    from: '127.0.0.78',
  });
  expect(realUser.status).toBe(200);
  const realSignIn = await httpRequest(pipeline.baseUrl, {
    method: 'POST',
    path: '/dashboard/login',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ username: STAFF.director.username, password: STAFF.director.password }).toString(),
    from: '127.0.0.79',
  });
  expect(realSignIn.status).toBe(303);

  // Failures are logged with the account and address, never the password.
  const failures = logged
    .join('')
    .split('\n')
    .filter((line) => line.includes('staff authentication failed'));
  expect(failures).toHaveLength(10);
  expect(parseJson(ZAuthFailureLineSchema, failures[0]!).authFailure).toEqual({
    via: 'basic',
    account: STAFF.director.username,
    address: GUESSER,
    reason: 'wrong username or password',
  });
  expect(logged.join('')).not.toContain('not-the-password');
  expect(logged.join('')).not.toContain(wrongBasic.slice(6));
});

test('the sign-in form counts failures the same way: the guessing address gets a 429 page with Retry-After', async () => {
  const guess = (from: string) =>
    httpRequest(pipeline.baseUrl, {
      method: 'POST',
      path: '/dashboard/login',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ username: STAFF.analyst.username, password: 'a wrong guess' }).toString(),
      from,
    });
  // Failures on the API count for the form too: the Basic guesser is already stopped here.
  const stopped = await guess(GUESSER);
  expect(stopped.status).toBe(429);
  expect(stopped.headers['retry-after']).toMatch(/^\d+$/);
  expect(stopped.text).toContain('Too many failed sign-ins');
  expect(stopped.text).not.toContain('a wrong guess');
  const statuses: number[] = [];
  for (let attempt = 0; attempt < 11; attempt++) statuses.push((await guess('127.0.0.80')).status);
  expect(statuses).toEqual([...Array<number>(10).fill(401), 429]);
});
