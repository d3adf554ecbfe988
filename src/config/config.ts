/**
 * The only reader of `process.env` (STYLE §4). Parses everything once at boot and lists every
 * problem at once, so an operator fixes a bad deployment in one go.
 */
import path from 'node:path';
import { parseFranceConnectConfig, type FranceConnectConfig } from '../franceconnect/franceconnect-config.ts';
import { parseMailConfig, type MailConfig } from '../mail/mail-config.ts';
import { parseLiveConfig, type LiveConfig } from '../live/live-config.ts';
import { TOKEN_RATE_LIMIT_BOUNDS } from '../tokens/token-record.ts';

export type Mode = 'sandbox' | 'live';
export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

export interface Config {
  mode: Mode;
  port: number;
  host: string;
  /** Embedded database, lock file, generated secrets and the demo token live here. */
  dataDir: string;
  /** PostgreSQL connection string; absent → embedded PGlite in `dataDir`. */
  databaseUrl: string | undefined;
  /** Extra sandbox case roots (official `payloads/` layout), after the project's own cases. */
  sandboxDataDirs: string[];
  /** Reload sandbox cases when their files change (default: on in sandbox mode). */
  sandboxWatch: boolean;
  logLevel: LogLevel;
  tokens: {
    /** How long a verified token stays cached: the upper bound on a revocation's delay. */
    cacheTtlMs: number;
    cacheMax: number;
    /** `kid:secret` pairs, last one signs. Absent → generated in `<dataDir>/secrets.json`. */
    signingKeys: Array<{ kid: string; secret: string }> | undefined;
  };
  journal: {
    /** HMAC key for person pseudonyms. Absent → generated in `<dataDir>/secrets.json`. */
    pseudonymKey: string | undefined;
    /** Rows waiting for a flush beyond which calls get 503 rather than an unjournaled answer. */
    maxQueue: number;
    /**
     * Embedded database only: `fdatasync` the journal spool before each answer leaves (grouped), so a
     * power loss cannot lose a delivered call's row; off, a process crash still cannot (ADR 0171).
     */
    fsync: boolean;
    /** Journal rows older than this many days are deleted by the retention job (docs/adr/0091-journal-retention.md). */
    retentionDays: number;
  };
  /** Scheduled jobs, run by one leader instance (docs/adr/0094-scheduled-jobs-and-leader.md). */
  jobs: {
    /** `JOBS_ENABLED=false` leaves them to other instances (or to nobody). */
    enabled: boolean;
    /** How often each instance wakes up to check leadership and due jobs. */
    tickSeconds: number;
    retentionIntervalMinutes: number;
    statsRollupIntervalMinutes: number;
  };
  /** Entries of the in-memory response cache (CONTRACT §7); cached personal data never touches the disk. */
  responseCacheMax: number;
  /** Print the demo token and write it to `<dataDir>/demo-token.txt` at start. */
  demoToken: boolean;
  /** Upstreams of live mode (`LIVE_*`, docs/guides/live-mode.md); `undefined` in sandbox mode. */
  live: LiveConfig | undefined;
  /** Live FranceConnect checktoken (`FRANCECONNECT_*`, docs/adr/0120-franceconnect-live-checker.md); used when MODE=live. */
  franceConnect: FranceConnectConfig | undefined;
  /** The portal (src/portal/README.md): sessions, sign-in and roles. */
  portal: PortalConfig;
  /** Rate limits and where their state lives (docs/adr/0008-rate-limits.md). */
  rateLimits: RateLimitConfig;
  /** Redis shared by every instance (rate limits, revocations); absent: each instance on its own. */
  redisUrl: string | undefined;
  /** Fastify's `trustProxy`: whether (or which) proxies' `X-Forwarded-For` gives the client IP for the per-IP cap. */
  trustProxy: boolean | string;
  /** Bearer token Prometheus sends to `/metrics`; absent: only direct loopback scrapes (docs/adr/0009-metrics.md). */
  metricsToken: string | undefined;
  /** Seconds between two active probes of the providers for the status page; 0: no probe (docs/adr/0130-status-api.md). */
  statusProbeIntervalSeconds: number;
  /** E-mail: SMTP or the embedded outbox, sender, expiry-notice schedule (docs/adr/0115-mail-outbox-and-smtp.md). */
  mail: MailConfig;
  /** The portal's secure transfer form and newsletter links (docs/adr/0143-secure-transfer-form.md). */
  secureTransfer: {
    /** `SECURE_TRANSFER_KEY` (≥ 32 characters); absent → generated in `<dataDir>/secrets.json`. */
    key: string | undefined;
    /** Messages are purged this many days after they are sent. */
    retentionDays: number;
  };
}

/** Rate-limit settings (docs/adr/0008-rate-limits.md). */
export interface RateLimitConfig {
  token: { perSecond: number; burst: number };
  /** Absent when `RATE_LIMIT_IP_PER_SECOND=0`. */
  ip: { perSecond: number; burst: number } | undefined;
  /** With Redis unreachable: decide locally (`open`) or answer 503 (`closed`). */
  redisFailure: 'open' | 'closed';
}

/** Portal settings (docs/adr/0101-portal-sign-in.md). */
export interface PortalConfig {
  /** `PUBLIC_URL`: base URL users see; absent → taken from each request's host. https → Secure cookies. */
  publicUrl: string | undefined;
  /** `PORTAL_SESSION_SECRET` signs cookies. Absent → generated in `<dataDir>/secrets.json`. */
  sessionSecret: string | undefined;
  sessionTtlHours: number;
  oidc: {
    /** `OIDC_ISSUER` (e.g. ProConnect's); absent → the embedded identity provider on loopback (src/idp/). */
    issuer: string | undefined;
    clientId: string;
    clientSecret: string | undefined;
    /** `LOCAL_IDP_PORT` of the embedded identity provider; 0 = any free port. */
    localIdpPort: number;
  };
  /** Emails granted a role at sign-in (`PORTAL_ADMIN_EMAILS`, `PORTAL_INSTRUCTOR_EMAILS`, `PORTAL_REVIEWER_EMAILS`). */
  adminEmails: string[];
  instructorEmails: string[];
  reviewerEmails: string[];
}

export class ConfigError extends Error {
  readonly problems: string[];
  constructor(problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
    this.problems = problems;
  }
}

type Env = Record<string, string | undefined>;

const LOG_LEVELS: readonly LogLevel[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

/**
 * Reads the configuration from an environment (defaults to `process.env`).
 * @example
 * const config = loadConfig({ PORT: '8080', DATA_DIR: '/var/lib/api-particulier' });
 */
export function loadConfig(env: Env = process.env, cwd: string = process.cwd()): Config {
  const problems: string[] = [];

  const integer = (name: string, fallback: number, min: number, max: number): number => {
    const raw = env[name];
    if (raw === undefined || raw === '') return fallback;
    const value = Number(raw);
    if (!Number.isInteger(value) || value < min || value > max) {
      problems.push(`${name} must be an integer between ${min} and ${max} (got "${raw}")`);
      return fallback;
    }
    return value;
  };
  const oneOf = <T extends string>(name: string, allowed: readonly T[], fallback: T): T => {
    const raw = env[name];
    if (raw === undefined || raw === '') return fallback;
    if (!(allowed as readonly string[]).includes(raw)) {
      problems.push(`${name} must be one of ${allowed.join(', ')} (got "${raw}")`);
      return fallback;
    }
    return raw as T;
  };

  const mode = oneOf<Mode>('MODE', ['sandbox', 'live'], 'sandbox');
  const live = mode === 'live' ? parseLiveConfig(env, problems) : undefined;

  const databaseUrl = env.DATABASE_URL === '' ? undefined : env.DATABASE_URL;
  if (databaseUrl !== undefined && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    problems.push('DATABASE_URL must be a postgres:// or postgresql:// connection string');
  }

  let signingKeys: Config['tokens']['signingKeys'];
  if (env.TOKEN_SIGNING_KEYS) {
    signingKeys = [];
    for (const pair of env.TOKEN_SIGNING_KEYS.split(',')) {
      const at = pair.indexOf(':');
      const kid = pair.slice(0, at).trim();
      const secret = pair.slice(at + 1).trim();
      if (at <= 0 || !/^[A-Za-z0-9_.-]{1,64}$/.test(kid) || secret.length < 32) {
        problems.push('TOKEN_SIGNING_KEYS must be comma-separated kid:secret pairs, each secret at least 32 characters');
        break;
      }
      signingKeys.push({ kid, secret });
    }
  }
  const pseudonymKey = env.JOURNAL_PSEUDONYM_KEY || undefined;
  if (pseudonymKey !== undefined && pseudonymKey.length < 32) {
    problems.push('JOURNAL_PSEUDONYM_KEY must be at least 32 characters');
  }

  const portal = portalConfig(env, problems);

  const host = env.HOST || '127.0.0.1';
  const config: Config = {
    mode,
    port: integer('PORT', 3000, 0, 65535),
    host,
    dataDir: path.resolve(cwd, env.DATA_DIR || './data'),
    databaseUrl,
    sandboxDataDirs: (env.SANDBOX_DATA_DIRS ?? '')
      .split(':')
      .filter((d) => d !== '')
      .map((d) => path.resolve(cwd, d)),
    sandboxWatch: oneOf('SANDBOX_WATCH', ['true', 'false'], mode === 'sandbox' ? 'true' : 'false') === 'true',
    logLevel: oneOf<LogLevel>('LOG_LEVEL', LOG_LEVELS, 'info'),
    tokens: {
      cacheTtlMs: integer('TOKEN_CACHE_TTL_MS', 5_000, 0, 60_000),
      cacheMax: integer('TOKEN_CACHE_MAX', 10_000, 1, 10_000_000),
      signingKeys,
    },
    journal: {
      pseudonymKey,
      maxQueue: integer('JOURNAL_MAX_QUEUE', 10_000, 1, 1_000_000),
      fsync: oneOf('JOURNAL_FSYNC', ['true', 'false'], 'false') === 'true',
      retentionDays: integer('JOURNAL_RETENTION_DAYS', 365, 1, 3650),
    },
    jobs: {
      enabled: oneOf('JOBS_ENABLED', ['true', 'false'], 'true') === 'true',
      tickSeconds: integer('JOBS_TICK_SECONDS', 30, 1, 3600),
      retentionIntervalMinutes: integer('JOURNAL_RETENTION_INTERVAL_MINUTES', 60, 1, 10_080),
      statsRollupIntervalMinutes: integer('STATS_ROLLUP_INTERVAL_MINUTES', 5, 1, 1_440),
    },
    responseCacheMax: integer('RESPONSE_CACHE_MAX', 10_000, 1, 10_000_000),
    demoToken: oneOf('DEMO_TOKEN', ['true', 'false'], mode === 'sandbox' ? 'true' : 'false') === 'true',
    live,
    franceConnect: parseFranceConnectConfig(env, problems),
    portal,
    rateLimits: {
      token: { perSecond: integer('RATE_LIMIT_PER_SECOND', 20, TOKEN_RATE_LIMIT_BOUNDS.min, TOKEN_RATE_LIMIT_BOUNDS.max), burst: integer('RATE_LIMIT_BURST', 20, 1, 100_000) },
      ip: ipCap(integer('RATE_LIMIT_IP_PER_SECOND', 50, 0, 100_000), integer('RATE_LIMIT_IP_BURST', 100, 1, 1_000_000)),
      redisFailure: oneOf('RATE_LIMIT_REDIS_FAILURE', ['open', 'closed'], 'open'),
    },
    redisUrl: redisUrlOf(env.REDIS_URL, problems),
    trustProxy: trustProxyOf(env.TRUST_PROXY),
    metricsToken: secretOf(env.METRICS_TOKEN, 'METRICS_TOKEN', problems),
    statusProbeIntervalSeconds: integer('STATUS_PROBE_INTERVAL_SECONDS', 60, 0, 86_400),
    mail: parseMailConfig(env, problems),
    secureTransfer: {
      key: secretOf(env.SECURE_TRANSFER_KEY, 'SECURE_TRANSFER_KEY', problems),
      retentionDays: integer('SECURE_TRANSFER_RETENTION_DAYS', 30, 1, 365),
    },
  };
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}

function httpUrl(raw: string): URL | undefined {
  try {
    const url = new URL(raw);
    return url.protocol === 'https:' || url.protocol === 'http:' ? url : undefined;
  } catch {
    return undefined;
  }
}

function emailList(raw: string | undefined, name: string, problems: string[]): string[] {
  const emails = (raw ?? '').split(',').map((e) => e.trim().toLowerCase()).filter((e) => e !== '');
  if (emails.some((e) => !/^[^@\s]+@[^@\s]+$/.test(e))) problems.push(`${name} must be a comma-separated list of email addresses`);
  return emails;
}

/** The portal's slice of the configuration; pushes its problems beside the others. */
function portalConfig(env: Env, problems: string[]): PortalConfig {
  const publicUrl = env.PUBLIC_URL || undefined;
  if (publicUrl !== undefined && httpUrl(publicUrl) === undefined) problems.push('PUBLIC_URL must be an http:// or https:// URL');
  const sessionSecret = env.PORTAL_SESSION_SECRET || undefined;
  if (sessionSecret !== undefined && sessionSecret.length < 32) problems.push('PORTAL_SESSION_SECRET must be at least 32 characters');
  const ttl = Number(env.PORTAL_SESSION_TTL_HOURS || '8');
  if (!Number.isInteger(ttl) || ttl < 1 || ttl > 720) problems.push('PORTAL_SESSION_TTL_HOURS must be an integer between 1 and 720');
  const idpPort = Number(env.LOCAL_IDP_PORT || '0');
  if (!Number.isInteger(idpPort) || idpPort < 0 || idpPort > 65535) problems.push('LOCAL_IDP_PORT must be an integer between 0 and 65535');

  const issuer = env.OIDC_ISSUER || undefined;
  const clientSecret = env.OIDC_CLIENT_SECRET || undefined;
  if (issuer !== undefined) {
    const url = httpUrl(issuer);
    const loopback = url !== undefined && ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);
    if (url === undefined || (url.protocol !== 'https:' && !loopback)) problems.push('OIDC_ISSUER must be an https:// URL (http:// only on loopback)');
    if (!env.OIDC_CLIENT_ID) problems.push('OIDC_CLIENT_ID is required with OIDC_ISSUER');
    if (clientSecret === undefined) problems.push('OIDC_CLIENT_SECRET is required with OIDC_ISSUER');
  }
  return {
    publicUrl: publicUrl?.replace(/\/+$/, ''),
    sessionSecret,
    sessionTtlHours: ttl,
    oidc: { issuer, clientId: env.OIDC_CLIENT_ID || 'api-particulier-portal', clientSecret, localIdpPort: idpPort },
    adminEmails: emailList(env.PORTAL_ADMIN_EMAILS, 'PORTAL_ADMIN_EMAILS', problems),
    instructorEmails: emailList(env.PORTAL_INSTRUCTOR_EMAILS, 'PORTAL_INSTRUCTOR_EMAILS', problems),
    reviewerEmails: emailList(env.PORTAL_REVIEWER_EMAILS, 'PORTAL_REVIEWER_EMAILS', problems),
  };
}

function ipCap(perSecond: number, burst: number): RateLimitConfig['ip'] {
  return perSecond === 0 ? undefined : { perSecond, burst };
}

function redisUrlOf(raw: string | undefined, problems: string[]): string | undefined {
  if (raw === undefined || raw === '') return undefined;
  if (!/^rediss?:\/\//.test(raw)) problems.push('REDIS_URL must be a redis:// or rediss:// URL');
  return raw;
}

/** `true`/`false`, or a comma-separated list of proxy addresses or CIDR ranges. */
function trustProxyOf(raw: string | undefined): boolean | string {
  if (raw === undefined || raw === '' || raw === 'false') return false;
  if (raw === 'true') return true;
  return raw;
}

function secretOf(raw: string | undefined, name: string, problems: string[]): string | undefined {
  if (raw === undefined || raw === '') return undefined;
  if (raw.length < 32) problems.push(`${name} must be at least 32 characters`);
  return raw;
}
