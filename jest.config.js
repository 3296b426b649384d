// One jest project per package. ts-jest transpiles each file on its own (isolatedModules);
// type checking is `npm run typecheck` (tsc), which .ci/run runs before the tests.
/** @type {import('jest').Config} */
const project = (name) => ({
  displayName: name,
  rootDir: `<rootDir>/packages/${name}`,
  testEnvironment: 'node',
  testMatch: ['<rootDir>/test/**/*.test.ts'],
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/test/tsconfig.json' }],
  },
  moduleNameMapper: {
    '^@sluice/channel$': '<rootDir>/../channel/src/index.ts',
    '^@sluice/channel/testing$': '<rootDir>/../channel/src/testing/index.ts',
    '^@sluice/shuffle$': '<rootDir>/../shuffle/src/index.ts',
  },
  setupFilesAfterEnv: ['<rootDir>/test/setup.ts'],
});

module.exports = {
  projects: [project('channel'), project('shuffle')],
  testTimeout: 60000,
};
