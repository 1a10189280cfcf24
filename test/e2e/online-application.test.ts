// The partner's front door over real HTTP, a real Temporal server and a real SMTP server: apply on /apply,
// confirm through the emailed link, see the partner's own page; names are slugged into ids, collisions get "-2".
import { getPartnerStatus } from '../../client/partners';
import { CpoNotFoundError } from '../../client/errors';
import { formBody, httpRequest } from '../helpers/http-client';
import { applicationForm, linkIn, mailTo } from '../helpers/online-application';
import { useRealPipeline } from '../helpers/real-pipeline';
import { uniqueId, useTemporalTestEnvironment } from '../helpers/temporal';

const temporal = useTemporalTestEnvironment();
const pipeline = useRealPipeline(temporal, { server: {}, partnerFront: true });
const OFFICE = 'cpo@mpls.k12.mn.us';

const postForm = (path: string, fields: Record<string, unknown>) =>
  httpRequest(pipeline.baseUrl, {
    method: 'POST',
    path,
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: formBody(fields),
  });
const pathOf = (url: string): string => new URL(url).pathname;
const partnerExists = (partnerId: string) =>
  getPartnerStatus(pipeline.context, partnerId).then(
    () => true,
    (error: unknown) => {
      if (error instanceof CpoNotFoundError) return false;
      throw error;
    },
  );

/** Applies and confirms; returns the representative's status link. */
async function applyAndConfirm(organizationName: string, email: string): Promise<string> {
  const sent = await postForm('/apply', applicationForm(organizationName, email));
  expect(sent.status).toBe(200);
  const confirmation = await pipeline.catcher.waitFor(mailTo(email, `Confirm the application of ${organizationName}`));
  const confirmed = await postForm(pathOf(linkIn(confirmation, '/apply/confirm/')), {});
  expect(confirmed.text).toContain('Application confirmed');
  const received = await pipeline.catcher.waitFor(mailTo(email, `Application received: ${organizationName}`));
  return linkIn(received, '/partner/');
}

test('/apply shows the seed-000 description and criteria, then the form, without scripts', async () => {
  const page = await httpRequest(pipeline.baseUrl, { path: '/apply' });
  expect(page.status).toBe(200);
  expect(page.text).toContain('Certified Community Partner');
  expect(page.text).toContain('Families are never charged');
  expect(page.text).toContain('name="representative.phone"');
  expect(page.text).not.toContain('<script');
});

test('a confirmed application starts the partner in applied under an id made from its name; the office and the representative are emailed', async () => {
  const tag = uniqueId('x').slice(2);
  const organizationName = `Lantern Arts Collective ${tag}`;
  const email = `amina@${tag}.example`;
  const sent = await postForm('/apply', applicationForm(organizationName, email));
  expect(sent.text).toContain('Check your email');
  const partnerId = `lantern-arts-collective-${tag}`;
  const confirmation = await pipeline.catcher.waitFor(mailTo(email, 'Confirm the application'));
  // Not applied before the address is confirmed; opening the link (as a mail scanner would) confirms nothing.
  const confirmPath = pathOf(linkIn(confirmation, '/apply/confirm/'));
  const shown = await httpRequest(pipeline.baseUrl, { path: confirmPath });
  expect(shown.text).toContain(organizationName);
  expect(await partnerExists(partnerId)).toBe(false);

  expect((await postForm(confirmPath, {})).text).toContain('Application confirmed');
  const status = await getPartnerStatus(pipeline.context, partnerId);
  expect(status).toMatchObject({
    stage: 'applied',
    organizationName,
    representative: { email, phone: '(612) 555-0142' },
    services: ['arts', 'enrichment'],
  });
  expect(status.criteriaAffirmed).toHaveLength(7);
  const office = await pipeline.catcher.waitFor(mailTo(OFFICE, `New partner application: ${organizationName}`));
  expect(office.parsed.text).toContain(partnerId);
  const received = await pipeline.catcher.waitFor(mailTo(email, `Application received: ${organizationName}`));
  const statusPage = await httpRequest(pipeline.baseUrl, { path: pathOf(linkIn(received, '/partner/')) });
  expect(statusPage.status).toBe(200);
  expect(statusPage.text).toContain('id="partner-stage">Applied<');
  expect(statusPage.text).toContain('safety protocol attestation for');

  // The same link used again: the same page, nothing applied twice.
  expect((await postForm(confirmPath, {})).text).toContain('Application confirmed');
  expect(await partnerExists(`${partnerId}-2`)).toBe(false);
});

test('another organization with the same slug gets "-2"; the same organization under another address is told to the representative on file', async () => {
  const tag = uniqueId('x').slice(2);
  await applyAndConfirm(`River Tutors ${tag}`, `first@${tag}.example`);
  await applyAndConfirm(`River-Tutors, ${tag}!`, `other@${tag}.example`);
  expect((await getPartnerStatus(pipeline.context, `river-tutors-${tag}-2`)).organizationName).toBe(`River-Tutors, ${tag}!`);

  // Applying again in River Tutors' name with another address: the applicant sees the same answers, gets a page
  // of its own application (-3), and River Tutors' representative is told.
  await applyAndConfirm(`river tutors ${tag}`, `impostor@${tag}.example`);
  expect((await getPartnerStatus(pipeline.context, `river-tutors-${tag}-3`)).representative.email).toBe(`impostor@${tag}.example`);
  const told = await pipeline.catcher.waitFor(mailTo(`first@${tag}.example`, 'Another application was made in the name of'));
  expect(told.parsed.text).not.toContain('impostor');
});

test('the same representative applying again for the same organization starts nothing new and gets the same answers', async () => {
  const tag = uniqueId('x').slice(2);
  const email = `sam@${tag}.example`;
  await applyAndConfirm(`Northside Mentors ${tag}`, email);
  const before = pipeline.catcher.messages.length;
  const again = await postForm('/apply', applicationForm(`Northside Mentors ${tag}`, email));
  expect(again.text).toContain('Check your email');
  const confirmation = await pipeline.catcher.waitFor(
    (mail) => pipeline.catcher.messages.indexOf(mail) >= before && mailTo(email, 'Confirm the application')(mail),
  );
  expect((await postForm(pathOf(linkIn(confirmation, '/apply/confirm/')), {})).text).toContain('Application confirmed');
  const told = await pipeline.catcher.waitFor(
    (mail) => pipeline.catcher.messages.indexOf(mail) >= before && mailTo(email, 'Application received')(mail),
  );
  expect(told.parsed.text).toContain('already has an application');
  expect(await partnerExists(`northside-mentors-${tag}-2`)).toBe(false);
});

test('"send me my link" emails the page link to the representative on file, and answers the same for an unknown address', async () => {
  const tag = uniqueId('x').slice(2);
  const email = `lee@${tag}.example`;
  await applyAndConfirm(`Eastside Readers ${tag}`, email);
  const known = await postForm('/partner', { organizationName: `Eastside Readers ${tag}`, email });
  const unknown = await postForm('/partner', { organizationName: `Eastside Readers ${tag}`, email: `nobody@${tag}.example` });
  expect(known.status).toBe(200);
  expect(unknown.status).toBe(200);
  expect(unknown.text).toBe(known.text);
  const mail = await pipeline.catcher.waitFor(mailTo(email, 'Your link to the page of'));
  expect((await httpRequest(pipeline.baseUrl, { path: pathOf(linkIn(mail, '/partner/')) })).text).toContain(`Eastside Readers ${tag}`);
  expect(pipeline.catcher.messages.some((m) => m.envelopeTo.includes(`nobody@${tag}.example`))).toBe(false);
});
