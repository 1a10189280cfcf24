import { bundleWorkflows } from '../helpers/temporal';

// What domain/ and workflows/ may import is checked by the layer rules (.dependency-cruiser.cjs, run by `npm test`).

test('the workflow bundle builds', async () => {
  const bundle = await bundleWorkflows();
  expect(bundle.code).toContain('contractWorkflow');
  expect(bundle.code).toContain('partnerWorkflow');
});
