/** @type {import('jest').Config} */
module.exports = {
  preset: "ts-jest",
  testEnvironment: "node",
  roots: ["<rootDir>/tests"],
  testMatch: ["**/*.test.ts"],
  testTimeout: 30000,
  // Both cores: most suites wait on child processes and HTTP, so two workers finish in about 60 % of one's time
  // (jest's default on a 2-core machine is one).
  maxWorkers: 2,
  // Example programs import the package by name; in the repo that name is the source.
  moduleNameMapper: {
    "^pulumi-oms-sync$": "<rootDir>/provider/index.ts",
    "^pulumi-oms-sync/(policy|testing)$": "<rootDir>/provider/$1",
  },
  // Packs the package and installs it into a throwaway program once per run, for the engine-level tests.
  globalSetup: "<rootDir>/tests/support/global-setup.ts",
  globalTeardown: "<rootDir>/tests/support/global-teardown.ts",
};
