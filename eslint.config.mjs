import nx from '@nx/eslint-plugin';

/** Module boundaries of ARCHITECTURE.md (see docs/adr/0002 for the one change: platform may use contracts). */
const depConstraints = [
  {
    sourceTag: 'type:app',
    onlyDependOnLibsWithTags: [
      'type:app',
      'type:platform',
      'type:domain',
      'type:api-schema',
      'type:plugin-sdk',
      'type:plugin',
      'type:util',
      'type:migrations',
    ],
  },
  {
    sourceTag: 'type:domain',
    onlyDependOnLibsWithTags: ['type:platform', 'type:domain', 'type:api-schema', 'type:plugin-sdk', 'type:util'],
  },
  { sourceTag: 'type:platform', onlyDependOnLibsWithTags: ['type:platform', 'type:api-schema', 'type:util'] },
  {
    sourceTag: 'type:plugin',
    onlyDependOnLibsWithTags: ['type:plugin-sdk', 'type:util'],
    bannedExternalImports: ['typeorm', '@nestjs/*', 'bullmq', 'ioredis', 'puppeteer', 'puppeteer-core', 'pg', 'undici'],
  },
  {
    sourceTag: 'type:plugin-sdk',
    onlyDependOnLibsWithTags: ['type:util'],
    bannedExternalImports: ['typeorm', '@nestjs/*', 'bullmq', 'puppeteer-core'],
  },
  {
    sourceTag: 'type:api-schema',
    onlyDependOnLibsWithTags: ['type:util'],
    bannedExternalImports: ['typeorm', '@nestjs/*', 'bullmq', 'pg'],
  },
  { sourceTag: 'type:util', onlyDependOnLibsWithTags: ['type:util'] },
  { sourceTag: 'type:migrations', onlyDependOnLibsWithTags: [] },
  {
    sourceTag: 'scope:portal',
    onlyDependOnLibsWithTags: ['type:api-schema', 'type:util'],
    bannedExternalImports: ['typeorm', '@nestjs/*', 'pg', 'bullmq'],
  },
];

export default [
  { ignores: ['**/dist/**', '**/node_modules/**', '.bulwark/**', '.nx/**', 'tests/e2e/screenshots/**', 'coverage/**'] },
  ...nx.configs['flat/base'],
  ...nx.configs['flat/typescript'],
  ...nx.configs['flat/javascript'],
  {
    files: ['**/*.ts', '**/*.tsx', '**/*.mts'],
    rules: {
      '@nx/enforce-module-boundaries': [
        'error',
        {
          enforceBuildableLibDependency: false,
          allow: [],
          depConstraints,
          banTransitiveDependencies: false,
          checkNestedExternalImports: true,
        },
      ],
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' },
      ],
      '@typescript-eslint/no-explicit-any': 'error',
      'no-console': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
  {
    // Plugins reach the network only through the context's SSRF-safe client (docs/plugins.md).
    files: ['plugins/**/*.ts'],
    ignores: ['plugins/**/*.spec.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            'http',
            'https',
            'http2',
            'net',
            'tls',
            'dns',
            'dgram',
            'node:http',
            'node:https',
            'node:http2',
            'node:net',
            'node:tls',
            'node:dns',
            'node:dgram',
            'undici',
          ].map((name) => ({
            name,
            message: 'Plugins use the HTTP client of their context (ctx.http), never the network directly.',
          })),
          patterns: [
            {
              group: ['dns/*', 'node:dns/*', 'undici/*'],
              message: 'Plugins use the HTTP client of their context (ctx.http), never the network directly.',
            },
          ],
        },
      ],
      'no-restricted-globals': [
        'error',
        { name: 'fetch', message: 'Plugins use the HTTP client of their context (ctx.http), not the global fetch.' },
        { name: 'XMLHttpRequest', message: 'Plugins use the HTTP client of their context (ctx.http).' },
        { name: 'WebSocket', message: 'Plugins use the HTTP client of their context (ctx.http).' },
      ],
      'no-restricted-properties': [
        'error',
        {
          object: 'globalThis',
          property: 'fetch',
          message: 'Plugins use the HTTP client of their context (ctx.http), not the global fetch.',
        },
        { object: 'global', property: 'fetch', message: 'Plugins use the HTTP client of their context (ctx.http), not the global fetch.' },
        {
          object: 'JSON',
          property: 'parse',
          message: 'Plugins read feed bodies with parseFeedJson (@bulwark/plugin-sdk): errors never quote the body.',
        },
      ],
    },
  },
  {
    files: ['apps/portal/**/*.ts', 'apps/portal/**/*.tsx'],
    rules: {
      'no-restricted-imports': ['error', { patterns: ['@bulwark/platform', '@bulwark/identity', '@bulwark/inventory', '@bulwark/api'] }],
    },
  },
];
