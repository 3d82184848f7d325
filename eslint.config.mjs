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
            { sourceTag: 'scope:tools', onlyDependOnLibsWithTags: ['*'] },
          ],
        },
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
    // The docs generator reads each app's config schema to document it, the one reason to reach into an app.
    files: ['bench/**/*.ts', 'tools/docs/src/config-sources.ts'],
    rules: { '@nx/enforce-module-boundaries': 'off' },
  },
];
