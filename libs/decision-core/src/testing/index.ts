// Test-only entry point (@surge/decision-core/testing); the package's index never re-exports it.
export * from './test-policy';
export * from './plan-results';
