/** @type {import('jest').Config} */
// The tests that run the real Pulumi CLI (`npm run test:cli`, not part of `npm test`): they need the CLI that
// `npm run cli:install` builds, and take minutes.
module.exports = {
  preset: "ts-jest",
  testEnvironment: "node",
  roots: ["<rootDir>/tests/cli"],
  testMatch: ["**/*.cli.ts"],
  testTimeout: 300000,
};
