/**
 * Issues an API token: a JWT with the official claims (CONTRACT §2: uid, jti, scopes, sub, iat, exp,
 * version) signed with the keyring's current key, and its row. The JWT is returned once and never stored.
 */
import { randomUUID } from 'node:crypto';
import { SignJWT } from 'jose';
import type { Modality } from '../core/endpoint.ts';
import type { Keyring } from './keyring.ts';
import type { TokenRecord } from './token-record.ts';
import type { TokenPurpose, TokenRepository } from './token-repository.ts';

export interface IssueTokenRequest {
  name: string;
  owner: string;
  scopes: string[];
  modalities: Modality[];
  fcClientIds?: string[];
  /** Calls per second; absent: the gateway's default. */
  rateLimitPerSecond?: number;
  /** Lifetime in seconds; the contract's tokens live 18 months. */
  expiresInSeconds: number;
  /** `explorer` marks the sandbox explorer's tokens, purged a day after they expire; default `api`. */
  purpose?: TokenPurpose;
  /** Fixed ids make the demo token stable across restarts. */
  jti?: string;
  uid?: string;
}

export const DEFAULT_TOKEN_LIFETIME_SECONDS = 548 * 24 * 3600; // 18 months (CONTRACT §2)

export async function signToken(record: TokenRecord, keyring: Keyring): Promise<string> {
  const key = keyring.find(record.kid);
  if (key === undefined) throw new Error(`signing key ${record.kid} is not in the keyring`);
  return new SignJWT({ uid: record.uid, scopes: record.scopes, version: '1.0' })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT', kid: record.kid })
    .setJti(record.jti)
    .setSubject(record.name)
    .setIssuedAt(Math.floor(record.createdAt.getTime() / 1000))
    .setExpirationTime(Math.floor(record.expiresAt.getTime() / 1000))
    .sign(key);
}

export async function issueToken(
  request: IssueTokenRequest,
  deps: { repository: TokenRepository; keyring: Keyring; now: () => Date },
): Promise<{ token: string; record: TokenRecord }> {
  if (request.scopes.length === 0) throw new TypeError('a token needs at least one scope');
  if (request.modalities.length === 0) throw new TypeError('a token needs at least one call modality');
  if (!(request.expiresInSeconds > 0)) throw new TypeError('expiresInSeconds must be positive');
  // JWT times are whole seconds: store the same instants so the row and the claims agree.
  const createdAt = new Date(Math.floor(deps.now().getTime() / 1000) * 1000);
  const record: TokenRecord = {
    jti: request.jti ?? randomUUID(),
    uid: request.uid ?? randomUUID(),
    name: request.name,
    owner: request.owner,
    scopes: [...new Set(request.scopes)].sort(),
    modalities: [...new Set(request.modalities)],
    fcClientIds: [...new Set(request.fcClientIds ?? [])],
    kid: deps.keyring.current.kid,
    createdAt,
    expiresAt: new Date(createdAt.getTime() + request.expiresInSeconds * 1000),
    revokedAt: null,
    rateLimitPerSecond: request.rateLimitPerSecond ?? null,
    habilitationId: null,
  };
  const token = await signToken(record, deps.keyring);
  await deps.repository.insert(record, request.purpose);
  return { token, record };
}
