/** Tests run against real services (Temporal dev server, MinIO, ffmpeg) that test/setup starts. */
module.exports = {
  testEnvironment: '<rootDir>/test/setup/native-typed-arrays-env.js',
  transform: { '^.+\\.ts$': ['@swc/jest', { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' } }] },
  testMatch: ['<rootDir>/test/**/*.test.ts'],
  globalSetup: '<rootDir>/test/setup/global-setup.ts',
  globalTeardown: '<rootDir>/test/setup/global-teardown.ts',
  testTimeout: 120000,
  maxWorkers: 2,
};
