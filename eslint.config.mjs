import nx from '@nx/eslint-plugin';
import tseslint from 'typescript-eslint';
import prettier from 'eslint-config-prettier';

export default [
  {
    ignores: [
      '**/node_modules/**',
      'dist/**',
      '.cache/**',
      '**/public/**',
      '**/*.cjs',
      '**/*.mjs',
      'test-artifacts/**',
    ],
  },
  ...tseslint.configs.recommended,
  prettier,
  {
    // A promise nobody awaits or catches ends as an unhandled rejection, which kills the process (issue 14).
    // These two rules need type information; one tsconfig.json covers apps, libs, tools, bench and the specs.
    files: ['**/*.ts'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      // `void p` is no handling at all: a fire-and-forget promise must end in a .catch that logs.
      // A FastifyReply is thenable only so a handler may await the send; left alone it never rejects.
      '@typescript-eslint/no-floating-promises': [
        'error',
        {
          ignoreVoid: false,
          allowForKnownSafePromises: [{ from: 'package', package: 'fastify', name: 'FastifyReply' }],
        },
      ],
      '@typescript-eslint/no-misused-promises': 'error',
      // no-floating-promises cannot see a promise kept in a variable or field: `this.running = p.finally(...)` in a
      // timer rejects unhandled whenever p does (the observed-state publisher once did). A kept chain that ends in
      // finally() handles the rejection before it, or says why its holder awaits it.
      'no-restricted-syntax': [
        'error',
        {
          selector:
            "AssignmentExpression > CallExpression.right[callee.property.name='finally']:not([callee.object.callee.property.name='catch']):not([callee.object.callee.property.name='then'][callee.object.arguments.length=2])",
          message:
            'A kept promise ending in finally() rejects when its source does: add a .catch (or a .then rejection handler) before finally().',
        },
      ],
    },
  },
  {
    files: ['**/*.ts'],
    plugins: { '@nx': nx },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@nx/enforce-module-boundaries': [
        'error',
        {
          enforceBuildableLibDependency: false,
          allow: [],
          depConstraints: [
            // The decision logic stays pure: a domain lib imports only other domain or util libs, and no I/O package.
            {
              sourceTag: 'type:domain',
              onlyDependOnLibsWithTags: ['type:domain', 'type:util'],
              bannedExternalImports: [
                'kafkajs',
                'ioredis',
                'pg',
                '@nestjs/*',
                'fastify',
                'node:fs',
                'fs',
                'node:net',
                'http',
                'node:http',
              ],
            },
            { sourceTag: 'type:util', onlyDependOnLibsWithTags: ['type:util'] },
            {
              sourceTag: 'type:data-access',
              onlyDependOnLibsWithTags: ['type:util', 'type:domain', 'type:data-access'],
            },
            {
              sourceTag: 'type:feature',
              onlyDependOnLibsWithTags: ['type:util', 'type:domain', 'type:data-access', 'type:feature'],
            },
            {
              sourceTag: 'type:app',
              onlyDependOnLibsWithTags: ['type:util', 'type:domain', 'type:data-access', 'type:feature'],
            },
            {
              sourceTag: 'type:tool',
              onlyDependOnLibsWithTags: ['type:util', 'type:domain', 'type:data-access', 'type:feature'],
            },
            { sourceTag: 'scope:shared', onlyDependOnLibsWithTags: ['scope:shared'] },
            { sourceTag: 'scope:rules-engine', onlyDependOnLibsWithTags: ['scope:shared', 'scope:rules-engine'] },
            { sourceTag: 'scope:executors', onlyDependOnLibsWithTags: ['scope:shared', 'scope:executors'] },
            {
              sourceTag: 'scope:virtual-queue',
              onlyDependOnLibsWithTags: ['scope:shared', 'scope:virtual-queue', 'scope:executors'],
            },
            { sourceTag: 'scope:metrics-ingest', onlyDependOnLibsWithTags: ['scope:shared', 'scope:metrics-ingest'] },
            { sourceTag: 'scope:audit-log', onlyDependOnLibsWithTags: ['scope:shared', 'scope:audit-log'] },
            { sourceTag: 'scope:notifier', onlyDependOnLibsWithTags: ['scope:shared', 'scope:notifier'] },
            { sourceTag: 'scope:tools', onlyDependOnLibsWithTags: ['*'] },
          ],
        },
      ],
    },
  },
  {
    // Test helpers live in a `testing/` folder of each project, published by a lib as `@surge/<lib>/testing`.
    // Production code never loads them (nor the harness), so a service at boot carries no stand-in.
    // Benchmarks and tools may: they drive the stand-ins on purpose.
    files: ['apps/**/*.ts', 'libs/**/*.ts'],
    ignores: ['**/*.spec.ts', '**/*.int-spec.ts', '**/*.e2e-spec.ts', '**/testing/**', 'libs/harness/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: '@surge/harness', message: 'The harness is for tests and tools, not for production code.' }],
          patterns: [
            {
              regex: '(^|/)testing(/|$)',
              message: 'Test helpers (a testing/ folder or @surge/<lib>/testing) are for specs only.',
            },
          ],
        },
      ],
    },
  },
  {
    // Config once, at boot: service code gets its settings from its app's validated config. Config loaders
    // (`*.config.ts`, libs/config) take the environment as a default parameter, and an entry point (main.ts) may
    // hand it on to the processes it starts. tools/deploy/src/process-env.spec.ts checks the same rule.
    files: ['apps/**/*.ts', 'libs/**/*.ts'],
    ignores: [
      '**/*.spec.ts',
      '**/*.int-spec.ts',
      '**/*.e2e-spec.ts',
      '**/testing/**',
      'libs/harness/**',
      '**/*.config.ts',
      'libs/config/**',
      '**/main.ts',
    ],
    rules: {
      'no-restricted-properties': [
        'error',
        { object: 'process', property: 'env', message: 'Read settings from the app config, loaded once at boot.' },
      ],
    },
  },
  {
    files: ['**/*.spec.ts', '**/*.int-spec.ts', '**/*.e2e-spec.ts', 'bench/**/*.ts'],
    rules: { '@typescript-eslint/no-non-null-assertion': 'off', '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    // Benchmarks drive an app's own modules in-process (its Nest module, its Lua scripts) to measure them
    // without the noise of a second process; no production code imports them, so the app boundary holds.
    // The docs generator reads each app's config schema to document it, and builds each app's module (in preview
    // mode) for its OpenAPI document, which the API reference's int-spec compares with the running apps'.
    // The fuzzer starts each app in-process through its own testing helpers, for the same reason, and so does the
    // alert pipeline's e2e test (the rules engine and the notifier, on one run's topics), and the response plan's
    // (the notifier, beside the `npm start` it watches).
    files: [
      'bench/**/*.ts',
      'tools/docs/src/config-sources.ts',
      'tools/docs/src/api-sources.ts',
      'tools/docs/src/api-reference.int-spec.ts',
      'tools/fuzz/src/**/*.ts',
      'tools/demo/src/alert-pipeline.e2e-spec.ts',
      'tools/demo/src/response-plan.e2e-spec.ts',
    ],
    rules: { '@nx/enforce-module-boundaries': 'off' },
  },
];
