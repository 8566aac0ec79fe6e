import { Logger as NestLogger } from '@nestjs/common';
import type { Logger } from 'typeorm';

/**
 * TypeORM's own loggers print query parameters, which can hold password hashes and tokens. This one
 * never does: failed queries are logged with their SQL text (parameterized) and the error only.
 */
export class SafeTypeOrmLogger implements Logger {
  private readonly logger = new NestLogger('Database');
  constructor(private readonly logQueries = false) {}

  logQuery(query: string): void {
    if (this.logQueries) this.logger.debug(query.slice(0, 2000));
  }

  logQueryError(error: string | Error, query: string): void {
    const message = typeof error === 'string' ? error : error.message;
    this.logger.warn(`query failed: ${message} — ${query.slice(0, 500)}`);
  }

  logQuerySlow(time: number, query: string): void {
    this.logger.warn(`slow query (${time} ms): ${query.slice(0, 500)}`);
  }

  logSchemaBuild(message: string): void {
    if (this.logQueries) this.logger.debug(message);
  }

  /** The callers report which migrations ran; TypeORM's step-by-step lines only with query logging. */
  logMigration(message: string): void {
    if (this.logQueries) this.logger.debug(message);
  }

  log(level: 'log' | 'info' | 'warn', message: unknown): void {
    if (level === 'warn') this.logger.warn(String(message));
    else if (this.logQueries) this.logger.debug(String(message));
  }
}
