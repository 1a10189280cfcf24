/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  transform: {
    '^.+\\.ts$': ['@swc/jest', { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' }, module: { type: 'commonjs' } }],
    // ESM-only packages (OpenID Connect client and the test's provider), compiled to CommonJS as Node loads them.
    '/node_modules/(openid-client|oauth4webapi|jose|oidc-provider)/.+\\.js$': [
      '@swc/jest',
      { jsc: { target: 'es2022' }, module: { type: 'commonjs' } },
    ],
  },
  transformIgnorePatterns: ['/node_modules/(?!(openid-client|oauth4webapi|jose|oidc-provider)/)'],
  reporters: ['default', '<rootDir>/test/summary-reporter.js'],
  testMatch: ['<rootDir>/test/**/*.test.ts'],
  // One real Temporal dev server for the whole run; each test file uses its own task queues.
  globalSetup: '<rootDir>/test/global-setup.ts',
  globalTeardown: '<rootDir>/test/global-teardown.ts',
  // The first server start and the first workflow bundle take seconds on a 2-core machine.
  testTimeout: 90_000,
  maxWorkers: 2,
};
