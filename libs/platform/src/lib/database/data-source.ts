import { DataSource, type DataSourceOptions } from 'typeorm';
import type { PostgresDataSourceOptions } from 'typeorm/driver/postgres/PostgresDataSourceOptions.js';

import { TenantSubscriber } from '../tenancy/tenant.subscriber.js';
import { AfterCommitSubscriber } from './after-commit.js';
import { SafeTypeOrmLogger } from './typeorm-logger.js';

export interface DataSourceParams {
  url: string;
  entities: NonNullable<PostgresDataSourceOptions['entities']>;
  migrations: NonNullable<PostgresDataSourceOptions['migrations']>;
  poolSize?: number;
  logging?: boolean;
}

export function dataSourceOptions(p: DataSourceParams): DataSourceOptions {
  return {
    type: 'postgres',
    url: p.url,
    entities: p.entities,
    migrations: p.migrations,
    subscribers: [TenantSubscriber, AfterCommitSubscriber],
    synchronize: false,
    migrationsRun: false,
    migrationsTransactionMode: 'each',
    installExtensions: false,
    uuidExtension: 'pgcrypto',
    logging: p.logging ? ['error', 'warn', 'query'] : ['error', 'warn'],
    logger: new SafeTypeOrmLogger(p.logging),
    maxQueryExecutionTime: 2000,
    extra: { max: p.poolSize ?? 10, application_name: 'bulwark', connectionTimeoutMillis: 10_000 },
  };
}

/** Applies pending migrations and returns their names. */
export async function runMigrations(p: DataSourceParams): Promise<string[]> {
  const ds = new DataSource({ ...dataSourceOptions({ ...p, poolSize: 1 }), entities: [] });
  await ds.initialize();
  try {
    const done = await ds.runMigrations({ transaction: 'each' });
    return done.map((m) => m.name);
  } finally {
    await ds.destroy();
  }
}
