/**
 * The FranceConnect slice of the configuration (STYLE §4): where the gateway, as a FranceConnect
 * *data provider* ("fournisseur de données"), checks citizens' access tokens in live mode
 * (docs/adr/0120-franceconnect-live-checker.md). `src/config/config.ts` calls
 * {@link parseFranceConnectConfig} with the environment it read; nothing here reads `process.env`.
 */

/** Live FranceConnect settings; absent when no `FRANCECONNECT_*` variable is set. */
export interface FranceConnectConfig {
  /** FranceConnect v2 `checktoken` endpoint, e.g. `https://fcp-low.integ01.dev-franceconnect.fr/api/v2/checktoken`. */
  checkTokenUrl: string;
  /** FranceConnect's JWKS, whose keys sign the checktoken answers. */
  jwksUrl: string;
  /** The gateway's data-provider client id: the answer's `aud` must be it. */
  clientId: string;
  clientSecret: string;
  /** Expected `iss` of the answers; absent → not checked. */
  issuer: string | undefined;
  /** Deadline of one checktoken call (the JWKS fetch has the same). */
  timeoutMs: number;
  /** Positive answers kept at most this long, and never past the token's `exp`. */
  cacheTtlMs: number;
  cacheMax: number;
  /** How long a fetched JWKS is trusted before a refetch. */
  jwksCacheTtlMs: number;
  /** Minimum delay between two JWKS refetches caused by an unknown `kid`. */
  jwksCooldownMs: number;
}

type Env = Record<string, string | undefined>;

const REQUIRED = ['FRANCECONNECT_CHECKTOKEN_URL', 'FRANCECONNECT_JWKS_URL', 'FRANCECONNECT_CLIENT_ID', 'FRANCECONNECT_CLIENT_SECRET'] as const;
const OPTIONAL_NUMBERS = {
  FRANCECONNECT_TIMEOUT_MS: { fallback: 3_000, min: 100, max: 60_000 },
  FRANCECONNECT_CACHE_TTL_MS: { fallback: 60_000, min: 0, max: 3_600_000 },
  FRANCECONNECT_CACHE_MAX: { fallback: 10_000, min: 1, max: 10_000_000 },
  FRANCECONNECT_JWKS_CACHE_TTL_MS: { fallback: 600_000, min: 1_000, max: 86_400_000 },
  FRANCECONNECT_JWKS_COOLDOWN_MS: { fallback: 30_000, min: 0, max: 3_600_000 },
} as const;

/** https, or http on loopback only (the FranceConnect double): the answer carries personal data. */
function isAllowedUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'https:' || (url.protocol === 'http:' && ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname));
  } catch {
    return false;
  }
}

/**
 * Reads the `FRANCECONNECT_*` variables, pushing every problem onto `problems`.
 * All four required variables or none: a partial setup is a mistake worth stopping the boot for.
 * @example
 * const problems: string[] = [];
 * const fc = parseFranceConnectConfig(process.env, problems);
 */
export function parseFranceConnectConfig(env: Env, problems: string[]): FranceConnectConfig | undefined {
  const present = REQUIRED.filter((name) => (env[name] ?? '') !== '');
  if (present.length === 0) return undefined;
  for (const name of REQUIRED) {
    if (!present.includes(name)) problems.push(`${name} is required when any of ${REQUIRED.join(', ')} is set`);
  }
  for (const name of ['FRANCECONNECT_CHECKTOKEN_URL', 'FRANCECONNECT_JWKS_URL'] as const) {
    const value = env[name];
    if (value !== undefined && value !== '' && !isAllowedUrl(value)) problems.push(`${name} must be an https:// URL (http:// only on loopback)`);
  }
  const numbers = {} as Record<keyof typeof OPTIONAL_NUMBERS, number>;
  for (const [name, { fallback, min, max }] of Object.entries(OPTIONAL_NUMBERS) as Array<[keyof typeof OPTIONAL_NUMBERS, { fallback: number; min: number; max: number }]>) {
    const raw = env[name];
    const value = raw === undefined || raw === '' ? fallback : Number(raw);
    if (!Number.isInteger(value) || value < min || value > max) {
      problems.push(`${name} must be an integer between ${min} and ${max} (got "${raw}")`);
      numbers[name] = fallback;
    } else numbers[name] = value;
  }
  return {
    checkTokenUrl: env.FRANCECONNECT_CHECKTOKEN_URL ?? '',
    jwksUrl: env.FRANCECONNECT_JWKS_URL ?? '',
    clientId: env.FRANCECONNECT_CLIENT_ID ?? '',
    clientSecret: env.FRANCECONNECT_CLIENT_SECRET ?? '',
    issuer: env.FRANCECONNECT_ISSUER || undefined,
    timeoutMs: numbers.FRANCECONNECT_TIMEOUT_MS,
    cacheTtlMs: numbers.FRANCECONNECT_CACHE_TTL_MS,
    cacheMax: numbers.FRANCECONNECT_CACHE_MAX,
    jwksCacheTtlMs: numbers.FRANCECONNECT_JWKS_CACHE_TTL_MS,
    jwksCooldownMs: numbers.FRANCECONNECT_JWKS_COOLDOWN_MS,
  };
}
