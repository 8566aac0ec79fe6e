import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ConsoleLogger, Logger, type INestApplication, type LogLevel } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import cookieParser from 'cookie-parser';
import express, { type NextFunction, type Request, type Response } from 'express';
import helmet from 'helmet';

import {
  assertJsonDepth,
  assertRedisReachable,
  GlobalErrorFilter,
  methodAllowList,
  requestContextMiddleware,
  runMigrations,
  sameOriginWrites,
  startEmbeddedPostgres,
  type AppConfig,
  type EmbeddedPostgres,
} from '@bulwark/platform';

import { AppModule, databaseParams } from './app.module.js';

const LEVELS: LogLevel[] = ['fatal', 'error', 'warn', 'log', 'debug', 'verbose'];
export function logLevels(level: AppConfig['log']['level']): LogLevel[] {
  return LEVELS.slice(0, LEVELS.indexOf(level) + 1);
}

/** Text logs for people, JSON lines for log shippers (LOG_FORMAT). */
export function appLogger(config: AppConfig): ConsoleLogger {
  return new ConsoleLogger({
    json: config.log.format === 'json',
    logLevels: logLevels(config.log.level),
    colors: config.log.format === 'text' && process.stdout.isTTY,
  });
}

/** Where the built portal lives (apps/portal/dist), from src/ under vitest or dist/ when built. */
export function portalDir(): string {
  return resolve(__dirname, '..', '..', 'portal', 'dist');
}

export interface Database {
  url: string;
  embedded: EmbeddedPostgres | null;
}

/**
 * Services the API cannot work without, checked before anything else starts: with BullMQ, Redis must
 * answer within the timeout. Otherwise the first enqueue (an invitation mail, a poll) would wait for a
 * reconnect forever instead of the process failing with a clear message.
 */
export async function assertServicesReachable(config: AppConfig, timeoutMs = 3000): Promise<void> {
  if (config.queue.driver === 'bullmq') await assertRedisReachable(config.queue.redisUrl!, timeoutMs);
}

/** Embedded mode starts PostgreSQL (PGlite) under the data directory; production uses DATABASE_URL. */
export async function openDatabase(config: AppConfig): Promise<Database> {
  if (config.database.url) return { url: config.database.url, embedded: null };
  const embedded = await startEmbeddedPostgres({ dataDir: join(config.dataDir, 'pgdata'), maxConnections: config.database.poolSize + 5 });
  return { url: embedded.url, embedded };
}

export async function migrate(url: string): Promise<string[]> {
  return runMigrations(databaseParams(url, 1));
}

/** Builds the HTTP application: security headers, body limits, the request context, errors, OpenAPI, the portal. */
export async function createApp(config: AppConfig, databaseUrl: string, opts: { logger?: false } = {}): Promise<NestExpressApplication> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config, databaseUrl), {
    bodyParser: false,
    // Webhook signatures are computed over the exact bytes received.
    rawBody: true,
    logger: opts.logger === false ? false : appLogger(config),
    bufferLogs: false,
  });
  app.set('trust proxy', config.http.trustProxy);
  app.disable('x-powered-by');
  app.use(helmet({ contentSecurityPolicy: { directives: { 'img-src': ["'self'", 'data:'], 'upgrade-insecure-requests': null } } }));
  app.use(methodAllowList);
  app.use(cookieParser());
  app.use('/api', sameOriginWrites(config.http.publicUrl));
  // Our own JSON parser (not useBodyParser, whose raw-body hook replaces any `verify`): keeps the exact bytes for
  // webhook signatures and refuses deep nesting before JSON.parse runs.
  app.use(
    express.json({
      limit: config.http.bodyLimit,
      strict: true,
      verify: (req: Request & { rawBody?: Buffer }, _res: unknown, buf: Buffer) => {
        req.rawBody = buf;
        assertJsonDepth(buf);
      },
    }),
  );
  app.useBodyParser('text', { type: 'text/csv', limit: config.http.bodyLimit });
  app.use(requestContextMiddleware);
  // API answers are per user and often confidential (contracts, evidence downloads): never stored by a
  // browser or a shared cache. The portal's static files keep their own caching.
  app.use('/api', (_req: unknown, res: { setHeader(name: string, value: string): void }, next: () => void) => {
    res.setHeader('Cache-Control', 'no-store');
    next();
  });
  app.setGlobalPrefix('api');
  app.useGlobalFilters(new GlobalErrorFilter());
  app.enableShutdownHooks();

  const doc = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Bulwark API')
      .setDescription('Third-party resilience portal. Authenticate with POST /api/auth/login and send the token as a Bearer header.')
      .setVersion('0.1.0')
      // 3.1: its schemas are JSON Schema 2020-12, the dialect zod's toJSONSchema writes (`type: 'null'`, not `nullable`).
      .setOpenAPIVersion('3.1.0')
      .addBearerAuth()
      .addCookieAuth('bulwark_session')
      .build(),
  );
  SwaggerModule.setup('api/docs', app, doc, { jsonDocumentUrl: 'api/openapi.json', yamlDocumentUrl: 'api/openapi.yaml' });

  servePortal(app);
  return app;
}

/** Serves the built single-page app at / with a fallback to index.html for client-side routes. */
function servePortal(app: INestApplication): void {
  const dir = portalDir();
  const index = join(dir, 'index.html');
  const logger = new Logger('Portal');
  if (!existsSync(index)) {
    logger.warn(`Portal not built (${index} missing): run npm run build:portal`);
    return;
  }
  app.use(
    express.static(dir, {
      index: false,
      maxAge: '1h',
      setHeaders: (res, path) => path.endsWith('.html') && res.setHeader('Cache-Control', 'no-cache'),
    }),
  );
  app.use((req: Request, res: Response, next: NextFunction) => {
    if ((req.method === 'GET' || req.method === 'HEAD') && !req.path.startsWith('/api') && req.accepts('html')) {
      res.setHeader('Cache-Control', 'no-cache');
      return res.sendFile(index);
    }
    next();
  });
}
