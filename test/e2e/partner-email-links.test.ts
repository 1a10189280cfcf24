// Every email that reaches a partner's representative carries the link to the partner's own page, made in the
// email activity (it needs the signing secret); an email only to district staff carries none.
import { signContract } from '../../client/contracts';
import { httpRequest } from '../helpers/http-client';
import { linkIn, mailTo } from '../helpers/online-application';
import { contractAwaitingPartner, useRealPipeline } from '../helpers/real-pipeline';
import { useTemporalTestEnvironment } from '../helpers/temporal';

const temporal = useTemporalTestEnvironment();
const pipeline = useRealPipeline(temporal, { server: {}, partnerFront: true });

test('the attestation request and the signature request to the partner link to its page; the countersignature request does not', async () => {
  const { partnerId, contractId, partnerEmail, request } = await contractAwaitingPartner(pipeline);
  const attestation = await pipeline.catcher.waitFor(mailTo(partnerEmail, 'Safety protocol attestation'));
  for (const mail of [attestation, request]) {
    const page = await httpRequest(pipeline.baseUrl, { path: new URL(linkIn(mail, '/partner/')).pathname });
    expect(page.status).toBe(200);
    expect(page.text).toContain(`Partner id ${partnerId}`);
    expect(mail.parsed.html).toContain('Your organization’s page');
  }
  expect((await httpRequest(pipeline.baseUrl, { path: new URL(linkIn(request, '/partner/')).pathname })).text).toContain(contractId);

  await signContract(pipeline.context, contractId, {
    role: 'partner',
    name: 'Lan Nguyễn',
    email: partnerEmail,
    consent: true,
    method: 'cli',
  });
  const countersign = await pipeline.catcher.waitFor(mailTo('cpo@mpls.k12.mn.us', 'Please countersign'));
  expect(countersign.parsed.text).not.toContain('/partner/');
});
