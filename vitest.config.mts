import path from 'node:path';
import swc from 'unplugin-swc';
import { defineConfig } from 'vitest/config';
import tsconfig from './tsconfig.base.json' with { type: 'json' };

// Nest's dependency injection reads decorator metadata, which esbuild does not emit: SWC compiles the tests.
// Each alias matches its whole specifier: a prefix match would send `@surge/x/testing` to `@surge/x`'s index.
const alias = Object.entries(tsconfig.compilerOptions.paths).map(([name, [target]]) => ({
  find: new RegExp(`^${name}$`), // alias names hold no regex metacharacters
  replacement: path.resolve(import.meta.dirname, target!),
}));
const shared = { alias, globals: false, pool: 'forks' as const };

export default defineConfig({
  plugins: [swc.vite({ module: { type: 'es6' } })],
  resolve: { alias },
  test: {
    reporters: ['default'],
    projects: [
      { extends: true, test: { ...shared, name: 'unit', include: ['{apps,libs,tools}/**/*.spec.ts'] } },
      {
        extends: true,
        test: {
          ...shared,
          name: 'integration',
          include: ['{apps,libs,tools}/**/*.int-spec.ts'],
          globalSetup: ['libs/harness/src/vitest.global-setup.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
      {
        extends: true,
        test: {
          ...shared,
          name: 'e2e',
          include: ['{apps,libs,tools}/**/*.e2e-spec.ts'],
          globalSetup: ['libs/harness/src/vitest.global-setup.ts'],
          testTimeout: 180_000,
          hookTimeout: 180_000,
          fileParallelism: false,
        },
      },
      {
        extends: true,
        test: {
          ...shared,
          // The Kafka-facing specs again, on one Kafka 4.1 broker (KRaft, log4j2) started by the second setup.
          // Kept small for CI's budget: the three-node cluster spec runs the harness's 3.9 cluster, so it is left
          // to the integration tier; the pipeline e2e is the shortest that goes ingest -> engine -> executor.
          name: 'kafka4',
          include: ['libs/kafka/src/*.int-spec.ts', 'tools/demo/src/pipeline-tracing.e2e-spec.ts'],
          exclude: ['libs/kafka/src/ensure-topics-cluster.int-spec.ts'],
          globalSetup: ['libs/harness/src/vitest.global-setup.ts', 'libs/harness/src/vitest.kafka4-setup.ts'],
          setupFiles: ['libs/harness/src/vitest.kafka4-env.ts'],
          testTimeout: 180_000,
          hookTimeout: 180_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
