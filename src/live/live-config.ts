/**
 * The live-mode slice of the configuration (STYLE §4: each provider contributes its own slice).
 * `src/config/config.ts` stays the only reader of `process.env` and hands its environment here; this
 * parser only turns `LIVE_<UPSTREAM>_*` variables into typed settings and lists every problem.
 * Production guidance: docs/guides/live-mode.md.
 */

/** How the gateway authenticates to an upstream; mTLS may be combined with any of them. */
export type UpstreamAuth =
  | { kind: 'none' }
  | { kind: 'mtls' }
  /** A static key, sent as `Authorization: Bearer <key>` or in `header` as is. */
  | { kind: 'api_key'; key: string; header: string | undefined }
  /** OAuth2 client credentials (RFC 6749 §4.4); tokens are cached and renewed before expiry. */
  | { kind: 'oauth2'; tokenUrl: string; clientId: string; clientSecret: string; scope: string | undefined };

export interface UpstreamTls {
  /** PEM files: client certificate and key (mTLS), and the CA that signs the upstream's certificate. */
  certFile: string | undefined;
  keyFile: string | undefined;
  caFile: string | undefined;
}

export interface UpstreamConfig {
  /** `https://host[:port][/base/path]`; every route path is appended to it. */
  baseUrl: string;
  auth: UpstreamAuth;
  tls: UpstreamTls;
  /** Time budget of one gateway call to this upstream, retries and token fetch included. */
  timeoutMs: number;
  /** Calls in flight at most; more are refused at once (docs/adr/0081-live-failure-codes.md). */
  concurrency: number;
  /** Extra attempts of an idempotent read after a connection failure or a 502/503, inside the budget. */
  retries: number;
  breaker: { failureThreshold: number; openMs: number };
}

/** Every upstream the gateway can call, by configuration key (`LIVE_<KEY>_…`). */
export const UPSTREAM_KEYS = ['dss', 'dss_prestations', 'cnous', 'mesri', 'men', 'france_travail', 'dsnj', 'gip_mds', 'sdh', 'ants', 'cnam'] as const;
export type UpstreamKey = (typeof UPSTREAM_KEYS)[number];

export interface LiveConfig {
  upstreams: Partial<Record<UpstreamKey, UpstreamConfig>>;
  /** Which upstream answers the C2S and RSA routes: the CNAV (default) or the DSS "API des prestations". */
  c2sRsaUpstream: 'cnav' | 'prestations';
}

type Env = Record<string, string | undefined>;

/** The upstreams live mode needs, given the choice of C2S/RSA upstream. */
export function requiredUpstreams(c2sRsaUpstream: LiveConfig['c2sRsaUpstream']): UpstreamKey[] {
  return UPSTREAM_KEYS.filter((key) => key !== 'dss_prestations' || c2sRsaUpstream === 'prestations');
}

/**
 * Parses `LIVE_*` variables. Problems are pushed to `problems` (the caller reports them all at once).
 * @example
 * const live = parseLiveConfig({ LIVE_DSNJ_URL: 'https://presaje.example/api', LIVE_DSNJ_AUTH: 'api_key', LIVE_DSNJ_API_KEY: '…' }, problems);
 */
export function parseLiveConfig(env: Env, problems: string[]): LiveConfig {
  const c2sRsa = env.LIVE_DSS_C2S_RSA_UPSTREAM || 'cnav';
  if (c2sRsa !== 'cnav' && c2sRsa !== 'prestations') problems.push(`LIVE_DSS_C2S_RSA_UPSTREAM must be cnav or prestations (got "${c2sRsa}")`);
  const c2sRsaUpstream = c2sRsa === 'prestations' ? 'prestations' : 'cnav';
  const upstreams: LiveConfig['upstreams'] = {};
  for (const key of requiredUpstreams(c2sRsaUpstream)) {
    const parsed = parseUpstream(env, `LIVE_${key.toUpperCase()}_`, problems);
    if (parsed !== undefined) upstreams[key] = parsed;
  }
  return { upstreams, c2sRsaUpstream };
}

function parseUpstream(env: Env, prefix: string, problems: string[]): UpstreamConfig | undefined {
  const value = (name: string): string | undefined => {
    const raw = env[prefix + name];
    return raw === undefined || raw === '' ? undefined : raw;
  };
  const integer = (name: string, fallback: number, min: number, max: number): number => {
    const raw = value(name);
    if (raw === undefined) return fallback;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < min || n > max) {
      problems.push(`${prefix}${name} must be an integer between ${min} and ${max} (got "${raw}")`);
      return fallback;
    }
    return n;
  };
  const required = (name: string, why: string): string => {
    const raw = value(name);
    if (raw === undefined) problems.push(`${prefix}${name} is required ${why}`);
    return raw ?? '';
  };

  const baseUrl = required('URL', 'in live mode (the upstream base URL)');
  if (baseUrl !== '' && !/^https?:\/\/[^/\s]+/.test(baseUrl)) problems.push(`${prefix}URL must be an http(s):// URL`);
  const tls: UpstreamTls = { certFile: value('CERT_FILE'), keyFile: value('KEY_FILE'), caFile: value('CA_FILE') };
  if ((tls.certFile === undefined) !== (tls.keyFile === undefined)) problems.push(`${prefix}CERT_FILE and ${prefix}KEY_FILE go together`);

  const kind = value('AUTH') ?? 'none';
  let auth: UpstreamAuth = { kind: 'none' };
  switch (kind) {
    case 'none':
      break;
    case 'mtls':
      if (tls.certFile === undefined) problems.push(`${prefix}AUTH=mtls needs ${prefix}CERT_FILE and ${prefix}KEY_FILE`);
      auth = { kind: 'mtls' };
      break;
    case 'api_key':
      auth = { kind: 'api_key', key: required('API_KEY', `with ${prefix}AUTH=api_key`), header: value('API_KEY_HEADER')?.toLowerCase() };
      break;
    case 'oauth2': {
      const tokenUrl = required('TOKEN_URL', `with ${prefix}AUTH=oauth2`);
      if (tokenUrl !== '' && !/^https?:\/\/[^/\s]+/.test(tokenUrl)) problems.push(`${prefix}TOKEN_URL must be an http(s):// URL`);
      auth = {
        kind: 'oauth2',
        tokenUrl,
        clientId: required('CLIENT_ID', `with ${prefix}AUTH=oauth2`),
        clientSecret: required('CLIENT_SECRET', `with ${prefix}AUTH=oauth2`),
        scope: value('SCOPE'),
      };
      break;
    }
    default:
      problems.push(`${prefix}AUTH must be one of none, api_key, oauth2, mtls (got "${kind}")`);
  }
  if (baseUrl === '') return undefined;
  return {
    baseUrl: baseUrl.replace(/\/+$/, ''),
    auth,
    tls,
    timeoutMs: integer('TIMEOUT_MS', 5_000, 10, 120_000),
    concurrency: integer('CONCURRENCY', 64, 1, 10_000),
    retries: integer('RETRIES', 1, 0, 5),
    breaker: { failureThreshold: integer('BREAKER_FAILURES', 5, 1, 1_000), openMs: integer('BREAKER_OPEN_MS', 30_000, 10, 3_600_000) },
  };
}
