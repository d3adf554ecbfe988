/**
 * Token administration, shared by the CLI (direct on the database) and the local admin API (when a
 * running service holds the embedded database).
 */
import { MODALITIES, isModality, type Modality } from '../core/endpoint.ts';
import { DEFAULT_TOKEN_LIFETIME_SECONDS, issueToken, type IssueTokenRequest } from './issue-token.ts';
import type { Keyring } from './keyring.ts';
import { TOKEN_RATE_LIMIT_BOUNDS, isTokenRateLimit, type TokenRecord } from './token-record.ts';
import type { TokenPurpose, TokenRepository } from './token-repository.ts';
import type { RevocationNotices } from './revocation-notices.ts';

export interface CreateTokenInput {
  scopes?: string[];
  allScopes?: boolean;
  modalities?: string[];
  /** Lifetime: `18mo`, `90d`, `12h`, `3600s`, `1y` or a number of seconds. */
  expiresIn?: string;
  name?: string;
  owner?: string;
  fcClientIds?: string[];
  /** Calls per second for this token (its habilitation's limit); absent: the gateway's default. */
  rateLimitPerSecond?: number;
}

/** Serialisable view of a token record, for the CLI and the admin API. */
export interface TokenView {
  jti: string;
  name: string;
  owner: string;
  scopes: string[];
  modalities: string[];
  fc_client_ids: string[];
  kid: string;
  created_at: string;
  expires_at: string;
  revoked_at: string | null;
  rate_limit_per_second: number | null;
}

export class TokenInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TokenInputError';
  }
}

const UNIT_SECONDS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86_400, w: 604_800, mo: 2_629_800, y: 31_557_600 };

export function parseDuration(text: string): number {
  const match = /^(\d+)(s|m|h|d|w|mo|y)?$/.exec(text.trim());
  if (match === null) throw new TokenInputError(`invalid duration "${text}": use e.g. 18mo, 90d, 12h, 3600s`);
  const seconds = Number(match[1]) * (UNIT_SECONDS[match[2] ?? 's'] as number);
  if (seconds <= 0) throw new TokenInputError('the duration must be positive');
  return seconds;
}

export function viewOf(record: TokenRecord): TokenView {
  return {
    jti: record.jti,
    name: record.name,
    owner: record.owner,
    scopes: record.scopes,
    modalities: record.modalities,
    fc_client_ids: record.fcClientIds,
    kid: record.kid,
    created_at: record.createdAt.toISOString(),
    expires_at: record.expiresAt.toISOString(),
    revoked_at: record.revokedAt?.toISOString() ?? null,
    rate_limit_per_second: record.rateLimitPerSecond,
  };
}

/**
 * Checks and normalises a token request without touching storage, so a wrong command fails fast
 * and changes nothing.
 * @throws TokenInputError with a message an operator can act on.
 */
export function normaliseCreateInput(input: CreateTokenInput, knownScopes: readonly string[]): IssueTokenRequest {
  const known = new Set(knownScopes);
  let scopes: string[];
  if (input.allScopes) {
    if (input.scopes !== undefined && input.scopes.length > 0) throw new TokenInputError('give either scopes or all scopes, not both');
    scopes = [...known];
  } else {
    scopes = (input.scopes ?? []).map((s) => s.trim()).filter((s) => s !== '');
    if (scopes.length === 0) throw new TokenInputError('give at least one scope (--scopes a,b) or --all-scopes');
    const unknown = scopes.filter((s) => !known.has(s));
    if (unknown.length > 0) throw new TokenInputError(`unknown scope(s): ${unknown.join(', ')}. Known scopes: ${[...known].join(', ')}`);
  }
  const modalities = (input.modalities ?? [...MODALITIES]).map((m) => m.trim());
  const badModalities = modalities.filter((m) => !isModality(m));
  if (badModalities.length > 0 || modalities.length === 0) {
    throw new TokenInputError(`unknown modality: ${badModalities.join(', ') || '(none)'}. Use ${MODALITIES.join(', ')}`);
  }
  return {
    name: input.name?.trim() || 'Jeton créé en ligne de commande',
    owner: input.owner?.trim() || 'admin',
    scopes,
    modalities: modalities as Modality[],
    fcClientIds: input.fcClientIds?.map((c) => c.trim()).filter((c) => c !== ''),
    expiresInSeconds: input.expiresIn === undefined ? DEFAULT_TOKEN_LIFETIME_SECONDS : parseDuration(input.expiresIn),
    ...(input.rateLimitPerSecond === undefined ? {} : { rateLimitPerSecond: checkRateLimit(input.rateLimitPerSecond) }),
  };
}

/** A token's own rate limit: a whole number of calls per second within the one rule's bounds. */
function checkRateLimit(value: number): number {
  const { min, max } = TOKEN_RATE_LIMIT_BOUNDS;
  if (!isTokenRateLimit(value)) throw new TokenInputError(`the rate limit must be a whole number of calls per second between ${min} and ${max} (got ${value})`);
  return value;
}

export interface TokenAdminDeps {
  repository: TokenRepository;
  keyring: Keyring;
  now: () => Date;
  knownScopes: readonly string[];
  /** Told of every revocation so that every instance drops its cached verifications at once. */
  revocations?: RevocationNotices;
}

export class TokenAdmin {
  readonly #deps: TokenAdminDeps;

  constructor(deps: TokenAdminDeps) {
    this.#deps = deps;
  }

  /**
   * `options.purpose` is the issuing code's to set (the sandbox explorer's `explorer`), never part of
   * the input the CLI and the admin API pass through.
   */
  async create(input: CreateTokenInput, options: { purpose?: TokenPurpose } = {}): Promise<{ token: string; record: TokenView }> {
    const request = normaliseCreateInput(input, this.#deps.knownScopes);
    const { token, record } = await issueToken(options.purpose === undefined ? request : { ...request, purpose: options.purpose }, this.#deps);
    return { token, record: viewOf(record) };
  }

  async list(): Promise<TokenView[]> {
    return (await this.#deps.repository.list()).map(viewOf);
  }

  /** Revokes now, or at a future instant. */
  async revoke(jti: string, at?: Date): Promise<TokenView> {
    const record = await this.#deps.repository.revoke(jti, at ?? this.#deps.now());
    if (record === undefined) throw new TokenInputError(`no token with id ${jti}`);
    await this.#deps.revocations?.publish(jti);
    return viewOf(record);
  }
}
