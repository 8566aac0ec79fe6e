import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { z } from 'zod';

const bool = z.enum(['true', 'false', '1', '0', 'yes', 'no']).transform((v) => v === 'true' || v === '1' || v === 'yes');
const postgresUrl = z
  .string()
  .url()
  .refine((v) => /^postgres(ql)?:\/\//.test(v), 'must be a postgres:// or postgresql:// URL');
const redisUrl = z
  .string()
  .url()
  .refine((v) => /^rediss?:\/\//.test(v), 'must be a redis:// or rediss:// URL');

/**
 * Every environment variable Bulwark reads, validated once at boot.
 * The README's configuration table is generated from the `describe()` texts (see `configTable()`).
 */
/** A FEED_ALLOWED_HOSTS entry (the plugin SDK's `parseAllowedHost` reads it): host, host:port, host:*, [IPv6]:port. */
const ALLOWED_HOST = /^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9_.-]+|[0-9a-fA-F:]*:[0-9a-fA-F:.]*)(:(\*|\d{1,5}))?$/;

export const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development').describe('Runtime environment.'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000).describe('HTTP port of the API and portal.'),
  HOST: z.string().min(1).optional().describe('Interface to listen on. Default 127.0.0.1 when embedded, 0.0.0.0 in production.'),
  PUBLIC_URL: z.url().optional().describe('Public base URL used in e-mailed links. Default http://localhost:$PORT.'),
  DATABASE_URL: postgresUrl.optional().describe('PostgreSQL URL. Unset: embedded PostgreSQL (PGlite) under BULWARK_DATA_DIR.'),
  DB_POOL_SIZE: z.coerce.number().int().min(1).max(100).default(10).describe('Database connection pool size.'),
  BULWARK_DATA_DIR: z.string().min(1).default('.bulwark').describe('Embedded data: database, local files, mail outbox, generated secrets.'),
  REDIS_URL: redisUrl
    .optional()
    .describe(
      'Redis URL for BullMQ (needs DATABASE_URL: the worker does not use the embedded database). Checked at start-up. Unset: jobs run in-process.',
    ),
  QUEUE_DRIVER: z
    .enum(['bullmq', 'inprocess'])
    .optional()
    .describe('Job queue driver. Default bullmq when REDIS_URL is set, else inprocess.'),
  QUEUE_PREFIX: z
    .string()
    .regex(/^[a-z0-9_-]+$/i)
    .default('bulwark')
    .describe('Redis key prefix of the queues.'),
  WORKER_LOCK_SECONDS: z.coerce
    .number()
    .int()
    .min(1)
    .max(600)
    .default(30)
    .describe("How long a worker holds a job before it counts as stalled (a crashed worker's job re-runs after this)."),
  WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(4).describe('Jobs a worker process runs at once per queue.'),
  JWT_SECRET: z
    .string()
    .min(32, 'must be at least 32 characters')
    .optional()
    .describe(
      'Secret for session tokens, shared by every API process. Required in production and whenever DATABASE_URL is set; generated and kept in BULWARK_DATA_DIR when embedded.',
    ),
  SESSION_TTL_HOURS: z.coerce.number().int().min(1).max(720).default(12).describe('Lifetime of a login session.'),
  COOKIE_SECURE: bool.optional().describe('Mark the session cookie Secure. Default true in production.'),
  TRUST_PROXY: bool
    .default(false)
    .describe(
      "Trust X-Forwarded-For/-Proto from a reverse proxy or load balancer, so the client address (login rate limits) is the real one. Set it behind a proxy: unset there, every client shares the proxy's address and only the per-account limit tells them apart. Never set it when clients reach the API directly (they could forge the header).",
    ),
  LOGIN_MAX_FAILURES: z.coerce
    .number()
    .int()
    .min(1)
    .max(100)
    .default(5)
    .describe('Failed logins for one account (e-mail) from one client address before HTTP 429 with Retry-After, until the window ends.'),
  LOGIN_MAX_FAILURES_PER_ADDRESS: z.coerce
    .number()
    .int()
    .min(1)
    .max(10000)
    .default(50)
    .describe(
      'Failed logins from one client address across all accounts before that address gets HTTP 429, until the window ends. Keep it well above LOGIN_MAX_FAILURES: many people may share an address (NAT, a proxy without TRUST_PROXY).',
    ),
  LOGIN_WINDOW_SECONDS: z.coerce.number().int().min(10).max(86400).default(900).describe('Window after which failed logins are forgotten.'),
  INVITATION_TTL_HOURS: z.coerce
    .number()
    .int()
    .min(1)
    .max(720)
    .default(72)
    .describe('How long an invitation link (vendor contact or staff) stays valid.'),
  SMTP_URL: z
    .string()
    .regex(/^smtps?:\/\//, 'must be an smtp:// or smtps:// URL')
    .optional()
    .describe('SMTP server. Unset: mail is written to BULWARK_DATA_DIR/outbox.'),
  MAIL_FROM: z.string().min(3).default('Bulwark <no-reply@bulwark.local>').describe('Sender of outgoing mail.'),
  BODY_LIMIT: z
    .string()
    .regex(/^\d+(kb|mb)$/i)
    .default('1mb')
    .describe('Largest accepted JSON or CSV request body.'),
  LOG_LEVEL: z.enum(['error', 'warn', 'log', 'debug', 'verbose']).default('log').describe('Lowest log level printed.'),
  LOG_FORMAT: z.enum(['text', 'json']).optional().describe('Log format. Default json in production, text otherwise.'),
  DEMO_SEED: bool
    .optional()
    .describe(
      'Create the demo organization at start if missing. Default true when embedded, false otherwise; refused when NODE_ENV=production (use `npm run demo:seed`).',
    ),
  STORAGE_DRIVER: z
    .enum(['local', 's3'])
    .optional()
    .describe(
      'File storage driver. `local`: files under STORAGE_DIR (give several API processes a shared volume); `s3`: an S3-compatible bucket (S3_*). Default s3 when S3_BUCKET is set, else local.',
    ),
  STORAGE_DIR: z.string().min(1).optional().describe('Where files are kept by the local driver. Default BULWARK_DATA_DIR/files.'),
  S3_BUCKET: z
    .string()
    .regex(/^[A-Za-z0-9._-]{3,63}$/, 'must be a bucket name (3 to 63 letters, digits, dots, hyphens)')
    .optional()
    .describe('Bucket of the s3 storage driver. Required when STORAGE_DRIVER=s3.'),
  S3_REGION: z
    .string()
    .regex(/^[a-z0-9-]+$/, 'must be a region name such as us-east-1')
    .default('us-east-1')
    .describe('Region of the bucket (S3-compatible services usually accept the default).'),
  S3_ENDPOINT: z
    .url()
    .refine((v) => /^https?:\/\//.test(v), 'must be an http:// or https:// URL')
    .refine((v) => !/^https?:\/\/[^/]*@/.test(v), 'must not contain credentials (use S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY)')
    .optional()
    .describe('Endpoint of an S3-compatible service (MinIO, Cloudflare R2, Ceph…). Unset: AWS S3.'),
  S3_FORCE_PATH_STYLE: bool
    .default(false)
    .describe('Address the bucket in the path (`endpoint/bucket/key`) rather than the host name; most self-hosted services need true.'),
  S3_ACCESS_KEY_ID: z
    .string()
    .min(1)
    .optional()
    .describe('Access key of the s3 driver. Unset: the AWS SDK default credential chain (environment, profile, instance or task role).'),
  S3_SECRET_ACCESS_KEY: z.string().min(1).optional().describe('Secret key belonging to S3_ACCESS_KEY_ID; required with it. Never logged.'),
  S3_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9!_.*'()/-]+$/, "may hold letters, digits and !_.*'()/- only")
    .refine((v) => !v.startsWith('/'), 'must not start with /')
    .default('bulwark/')
    .describe('Prefix of the object keys (`<prefix>aa/bb/<sha256>`); a trailing / is added if missing.'),
  FILE_MAX_MB: z.coerce.number().int().min(1).max(2048).default(50).describe('Largest uploaded document.'),
  CLAMAV_URL: z
    .string()
    .regex(/^tcp:\/\/[^\s/:]+:\d{1,5}$/, 'must be tcp://host:port')
    .optional()
    .describe(
      'clamd to scan uploaded evidence with (INSTREAM), e.g. `tcp://127.0.0.1:3310`; an infected file is refused. Unset: evidence is stored and shown as "not scanned".',
    ),
  SECRETS_KEY: z
    .string()
    .refine((v) => Buffer.from(v, 'base64').length === 32, 'must be 32 bytes, base64-encoded (openssl rand -base64 32)')
    .optional()
    .describe(
      'Key that encrypts secret plugin settings at rest, shared by the API and every worker. Required in production and whenever DATABASE_URL is set; generated and kept in BULWARK_DATA_DIR when embedded.',
    ),
  AUDIT_KEY: z
    .string()
    .refine(
      (v) => /^[A-Za-z0-9+/]+={0,2}$/.test(v) && Buffer.from(v, 'base64').length >= 32,
      'must be at least 32 bytes, base64-encoded (openssl rand -base64 32)',
    )
    .optional()
    .describe(
      "Key of the audit log's MACs and anchors, shared by the API and every worker. Keep it outside the database (whoever holds it can rewrite the log undetected) and never change it: entries MACed with another key fail verification. Required in production and whenever DATABASE_URL is set; generated and kept in BULWARK_DATA_DIR when embedded. Never logged.",
    ),
  FEED_ALLOWED_HOSTS: z
    .string()
    .default('')
    .refine((v) => v.split(',').every((h) => !h.trim() || ALLOWED_HOST.test(h.trim())), {
      message: 'each entry must be host, host:port or host:* (IPv6 as [address]:port)',
    })
    .describe(
      'Comma-separated hosts feeds may reach even on private addresses (an internal mirror): `host:port` opens that port, `host:*` every port (test servers), a bare `host` only 80 and 443. Everything else must be public.',
    ),
  FEED_USER_AGENT: z
    .string()
    .min(8)
    .default('Bulwark/0.1 (third-party resilience portal; admin@bulwark.local)')
    .describe('User-Agent of feed requests; SEC EDGAR requires a real contact e-mail here.'),
  FEED_TIMEOUT_SECONDS: z.coerce.number().int().min(1).max(300).default(20).describe('Per-request timeout of feed fetches.'),
  FEED_MAX_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .max(200 * 1024 * 1024)
    .default(10 * 1024 * 1024)
    .describe('Largest feed response accepted.'),
  FEED_MAX_SIGNALS: z.coerce
    .number()
    .int()
    .min(10)
    .max(1_000_000)
    .default(5000)
    .describe(
      'Most signals one poll (or source test) of a source may contribute; a feed listing more components, incidents or events fails with an error naming this variable, stores nothing, and its share of the rollup is unknown.',
    ),
  FEED_TEST_MEMORY_MB: z.coerce
    .number()
    .int()
    .min(32)
    .max(8192)
    .default(512)
    .describe(
      "Memory limit of one source test run (the source form's Test runs in a worker thread, off the API's event loop); a run needing more stops with an error.",
    ),
});

export type Env = z.infer<typeof envSchema>;

export interface AppConfig {
  env: Env['NODE_ENV'];
  mode: 'embedded' | 'production';
  http: { port: number; host: string; publicUrl: string; bodyLimit: string; trustProxy: boolean };
  database: { url: string | null; poolSize: number };
  dataDir: string;
  queue: { driver: 'bullmq' | 'inprocess'; redisUrl: string | null; prefix: string; lockMs: number; concurrency: number };
  auth: {
    jwtSecret: string;
    sessionTtlHours: number;
    cookieSecure: boolean;
    loginMaxFailures: number;
    loginMaxFailuresPerAddress: number;
    loginWindowSeconds: number;
    invitationTtlHours: number;
  };
  mail: { driver: 'smtp' | 'outbox'; smtpUrl: string | null; from: string; outboxDir: string };
  log: { level: Env['LOG_LEVEL']; format: 'text' | 'json' };
  demoSeed: boolean;
  secretsKey: Buffer;
  /** `key` is not enumerable: it never shows in a logged or serialized config. */
  audit: { readonly key: Buffer };
  storage: { driver: 'local' | 's3'; dir: string; maxBytes: number; s3: S3Config | null };
  /** clamd's address for the malware scanner port; null: uploads are not scanned (and say so). */
  malwareScanner: { clamavUrl: string | null };
  feeds: {
    allowedHosts: string[];
    userAgent: string;
    timeoutMs: number;
    maxBytes: number;
    maxSignals: number;
    testMemoryMb: number;
  };
}

export interface S3Config {
  bucket: string;
  region: string;
  /** null: AWS S3 itself. */
  endpoint: string | null;
  forcePathStyle: boolean;
  /** null: the AWS SDK default credential chain. */
  credentials: { accessKeyId: string; secretAccessKey: string } | null;
  /** Ends with `/` unless empty. */
  prefix: string;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Validates the environment and maps it to the typed tree. Throws ConfigError naming each bad variable. */
export function loadConfig(source: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): AppConfig {
  // Empty strings count as unset, as in most deployment tools.
  const raw = Object.fromEntries(Object.entries(source).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = envSchema.safeParse(raw);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${String(i.path[0] ?? '?')}: ${i.message}`));
  }
  const e = parsed.data;
  const mode = e.DATABASE_URL ? 'production' : 'embedded';
  const dataDir = isAbsolute(e.BULWARK_DATA_DIR) ? e.BULWARK_DATA_DIR : resolve(cwd, e.BULWARK_DATA_DIR);
  const queueDriver = e.QUEUE_DRIVER ?? (e.REDIS_URL ? 'bullmq' : 'inprocess');
  const problems: string[] = [];
  if (queueDriver === 'bullmq' && !e.REDIS_URL) problems.push('REDIS_URL: required when QUEUE_DRIVER=bullmq');
  // BullMQ jobs are consumed by the worker, which refuses the embedded database: they would wait forever.
  if (queueDriver === 'bullmq' && !e.DATABASE_URL) {
    problems.push(
      `DATABASE_URL: required when ${e.QUEUE_DRIVER === 'bullmq' ? 'QUEUE_DRIVER=bullmq' : 'REDIS_URL is set'} (the worker that consumes the BullMQ queues cannot use the embedded database, so jobs would never run); set DATABASE_URL, or unset REDIS_URL to run jobs in-process`,
    );
  }
  if (e.NODE_ENV === 'production' && !e.JWT_SECRET) problems.push('JWT_SECRET: required when NODE_ENV=production');
  // Every API process must sign and check sessions with the same secret; a generated one is per data directory.
  else if (e.DATABASE_URL && !e.JWT_SECRET)
    problems.push('JWT_SECRET: required when DATABASE_URL is set (every API process must share the session secret)');
  if (e.LOGIN_MAX_FAILURES_PER_ADDRESS < e.LOGIN_MAX_FAILURES)
    problems.push('LOGIN_MAX_FAILURES_PER_ADDRESS: must be at least LOGIN_MAX_FAILURES');
  if (e.NODE_ENV === 'production' && e.DEMO_SEED)
    problems.push('DEMO_SEED: must not be true when NODE_ENV=production; create the demo organization once with `npm run demo:seed`');
  if (e.NODE_ENV === 'production' && !e.SECRETS_KEY) problems.push('SECRETS_KEY: required when NODE_ENV=production');
  // The API and every worker must decrypt the same plugin secrets; a generated key is per data directory.
  else if (e.DATABASE_URL && !e.SECRETS_KEY)
    problems.push(
      'SECRETS_KEY: required when DATABASE_URL is set (the API and every worker must share the key that encrypts plugin secrets)',
    );
  // The MACs must survive someone with database access: the key never goes there, and no process may make up its own.
  if (e.NODE_ENV === 'production' && !e.AUDIT_KEY) problems.push('AUDIT_KEY: required when NODE_ENV=production (openssl rand -base64 32)');
  else if (e.DATABASE_URL && !e.AUDIT_KEY)
    problems.push('AUDIT_KEY: required when DATABASE_URL is set (the API and every worker must share the key that signs the audit log)');
  if (e.AUDIT_KEY && e.SECRETS_KEY && Buffer.from(e.AUDIT_KEY, 'base64').equals(Buffer.from(e.SECRETS_KEY, 'base64')))
    problems.push('AUDIT_KEY: must not be the same key as SECRETS_KEY');
  const storageDriver = e.STORAGE_DRIVER ?? (e.S3_BUCKET ? 's3' : 'local');
  if (storageDriver === 's3') {
    // Only the variable names go into the messages: the values may be secrets.
    if (!e.S3_BUCKET) problems.push('S3_BUCKET: required when STORAGE_DRIVER=s3');
    if (e.S3_ACCESS_KEY_ID && !e.S3_SECRET_ACCESS_KEY) problems.push('S3_SECRET_ACCESS_KEY: required when S3_ACCESS_KEY_ID is set');
    if (e.S3_SECRET_ACCESS_KEY && !e.S3_ACCESS_KEY_ID) problems.push('S3_ACCESS_KEY_ID: required when S3_SECRET_ACCESS_KEY is set');
  }
  if (problems.length) throw new ConfigError(problems);
  const jwtSecret = e.JWT_SECRET ?? persistentSecret(dataDir, 'jwt-secret');
  const secretsKey = Buffer.from(e.SECRETS_KEY ?? persistentSecret(dataDir, 'secrets-key', 32, 'base64'), 'base64');
  const auditKey = Buffer.from(e.AUDIT_KEY ?? persistentSecret(dataDir, 'audit-key', 32, 'base64'), 'base64');
  const production = e.NODE_ENV === 'production';
  return {
    env: e.NODE_ENV,
    mode,
    http: {
      port: e.PORT,
      host: e.HOST ?? (mode === 'embedded' ? '127.0.0.1' : '0.0.0.0'),
      publicUrl: (e.PUBLIC_URL ?? `http://localhost:${e.PORT}`).replace(/\/$/, ''),
      bodyLimit: e.BODY_LIMIT,
      trustProxy: e.TRUST_PROXY,
    },
    // The embedded database (PGlite) is one session: a pool of one connection runs every statement and
    // transaction on it in turn, so two requests' statements never interleave (ADR 0007).
    database: { url: e.DATABASE_URL ?? null, poolSize: mode === 'embedded' ? 1 : e.DB_POOL_SIZE },
    dataDir,
    queue: {
      driver: queueDriver,
      redisUrl: e.REDIS_URL ?? null,
      prefix: e.QUEUE_PREFIX,
      lockMs: e.WORKER_LOCK_SECONDS * 1000,
      concurrency: e.WORKER_CONCURRENCY,
    },
    auth: {
      jwtSecret,
      sessionTtlHours: e.SESSION_TTL_HOURS,
      cookieSecure: e.COOKIE_SECURE ?? production,
      loginMaxFailures: e.LOGIN_MAX_FAILURES,
      loginMaxFailuresPerAddress: e.LOGIN_MAX_FAILURES_PER_ADDRESS,
      loginWindowSeconds: e.LOGIN_WINDOW_SECONDS,
      invitationTtlHours: e.INVITATION_TTL_HOURS,
    },
    mail: {
      driver: e.SMTP_URL ? 'smtp' : 'outbox',
      smtpUrl: e.SMTP_URL ?? null,
      from: e.MAIL_FROM,
      outboxDir: join(dataDir, 'outbox'),
    },
    log: { level: e.LOG_LEVEL, format: e.LOG_FORMAT ?? (production ? 'json' : 'text') },
    demoSeed: e.DEMO_SEED ?? (mode === 'embedded' && !production),
    secretsKey,
    audit: Object.defineProperty({}, 'key', { value: auditKey, enumerable: false }) as { readonly key: Buffer },
    storage: {
      driver: storageDriver,
      dir: e.STORAGE_DIR ? resolve(cwd, e.STORAGE_DIR) : join(dataDir, 'files'),
      maxBytes: e.FILE_MAX_MB * 1024 * 1024,
      s3:
        storageDriver === 's3'
          ? {
              bucket: e.S3_BUCKET!,
              region: e.S3_REGION,
              endpoint: e.S3_ENDPOINT ?? null,
              forcePathStyle: e.S3_FORCE_PATH_STYLE,
              credentials:
                e.S3_ACCESS_KEY_ID && e.S3_SECRET_ACCESS_KEY
                  ? { accessKeyId: e.S3_ACCESS_KEY_ID, secretAccessKey: e.S3_SECRET_ACCESS_KEY }
                  : null,
              prefix: e.S3_PREFIX.endsWith('/') ? e.S3_PREFIX : `${e.S3_PREFIX}/`,
            }
          : null,
    },
    malwareScanner: { clamavUrl: e.CLAMAV_URL ?? null },
    feeds: {
      allowedHosts: e.FEED_ALLOWED_HOSTS.split(',')
        .map((h) => h.trim())
        .filter(Boolean),
      userAgent: e.FEED_USER_AGENT,
      timeoutMs: e.FEED_TIMEOUT_SECONDS * 1000,
      maxBytes: e.FEED_MAX_BYTES,
      maxSignals: e.FEED_MAX_SIGNALS,
      testMemoryMb: e.FEED_TEST_MEMORY_MB,
    },
  };
}

/** A random secret generated once and kept in the data directory (embedded mode only). */
function persistentSecret(dataDir: string, name: string, bytes = 48, encoding: 'base64url' | 'base64' = 'base64url'): string {
  const file = join(dataDir, name);
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(dataDir, { recursive: true });
  const secret = randomBytes(bytes).toString(encoding);
  writeFileSync(file, secret, { mode: 0o600 });
  return secret;
}

/** Markdown rows for the README's configuration table. */
export function configTable(): string {
  const rows = Object.entries(envSchema.shape).map(([name, schema]) => {
    const desc = (schema as z.ZodType).description ?? '';
    const def = schema instanceof z.ZodDefault ? `\`${String(schema.def.defaultValue)}\`` : '';
    return `| \`${name}\` | ${def} | ${desc} |`;
  });
  return ['| variable | default | meaning |', '|---|---|---|', ...rows].join('\n');
}
