// Test-only entry point (@surge/executor-core/testing); the package's index never re-exports it.
export * from './test-decisions';
