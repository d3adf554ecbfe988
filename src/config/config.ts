/**
 * The only reader of `process.env` (STYLE §4). Parses everything once at boot and lists every
 * problem at once, so an operator fixes a bad deployment in one go.
 */
import path from 'node:path';

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
  };
  /** Entries of the in-memory response cache (CONTRACT §7); cached personal data never touches the disk. */
  responseCacheMax: number;
  /** Print the demo token and write it to `<dataDir>/demo-token.txt` at start. */
  demoToken: boolean;
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
  if (mode === 'live') problems.push('MODE=live is not available yet: provider connectors are not built (see the live-mode issue)');

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
    },
    responseCacheMax: integer('RESPONSE_CACHE_MAX', 10_000, 1, 10_000_000),
    demoToken: oneOf('DEMO_TOKEN', ['true', 'false'], mode === 'sandbox' ? 'true' : 'false') === 'true',
  };
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}
