/** The workflow code's entry point, which the SDK bundles for its sandbox. */
export const WORKFLOWS_PATH = require.resolve('../workflows');
