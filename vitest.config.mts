import swc from 'unplugin-swc';
import { defineConfig } from 'vitest/config';

// Decorators (Nest, TypeORM) need SWC; esbuild emits no decorator metadata.
const swcPlugin = () =>
  swc.vite({
    module: { type: 'es6' },
    jsc: {
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true },
      target: 'es2022',
    },
  });

// Workspace libraries resolve to their TypeScript sources under test. No `module` condition: Vitest
// passes these to Node as --conditions, and packages such as the AWS SDK map `module` to builds
// only a bundler can load (extensionless imports); Node itself never uses it.
const conditions = ['@bulwark/source', 'node', 'development|production'];

const shared = {
  plugins: [swcPlugin()],
  resolve: { conditions },
  ssr: { resolve: { conditions } },
};

/**
 * Benchmarks that need the real application (`npm run bench:reminders`) run as a project of their own,
 * only when asked: never in `npm test`.
 */
const benchProject = {
  ...shared,
  test: {
    name: 'bench',
    environment: 'node',
    include: ['tests/bench/**/*.bench.ts'],
    globalSetup: ['tests/support/global-setup.ts'],
    testTimeout: 3_600_000,
    hookTimeout: 600_000,
    pool: 'forks' as const,
    maxWorkers: 1,
  },
};

export default defineConfig({
  test: {
    reporters: ['default', ['json', { outputFile: 'dist/test-results.json' }]],
    env: { TZ: 'UTC' },
    projects: [
      {
        ...shared,
        test: {
          name: 'unit',
          sequence: { groupOrder: 0 },
          environment: 'node',
          // Some unit tests start parse workers or run property tests: about a second on a quiet machine, several
          // times that on a loaded CI machine. Their own limits (parse time limits, counted ticks) are what they assert.
          testTimeout: 20_000,
          include: ['libs/**/src/**/*.spec.ts', 'apps/*/src/**/*.spec.ts', 'plugins/**/src/**/*.spec.ts', 'scripts/**/*.spec.ts'],
          exclude: ['**/node_modules/**', '**/dist/**'],
        },
      },
      {
        ...shared,
        test: {
          name: 'api',
          sequence: { groupOrder: 1 },
          environment: 'node',
          include: ['tests/api/**/*.spec.ts'],
          globalSetup: ['tests/support/global-setup.ts'],
          testTimeout: 30_000,
          hookTimeout: 60_000,
          pool: 'forks',
          maxWorkers: 2,
        },
      },
      {
        ...shared,
        test: {
          name: 'e2e',
          sequence: { groupOrder: 2 },
          environment: 'node',
          include: ['tests/e2e/**/*.spec.ts'],
          globalSetup: ['tests/support/global-setup.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
          pool: 'forks',
          maxWorkers: 1,
        },
      },
      ...(process.env['BULWARK_BENCH'] ? [benchProject] : []),
    ],
  },
});
