/**
 * Where the CLI's token commands run. PGlite accepts one process, so when a running service holds the
 * embedded database the CLI goes through that service's local admin API (loopback + local secret);
 * otherwise — no service, or PostgreSQL — it opens the database itself.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Config } from '../config/config.ts';
import { readLockHolder } from '../infra/db/data-dir-lock.ts';
import { migrateToLatest } from '../infra/db/migrate.ts';
import { openDatabase } from '../infra/db/open-database.ts';
import { loadLocalSecrets } from '../infra/local-secrets.ts';
import { allScopes } from '../providers/index.ts';
import { createKeyring } from '../tokens/keyring.ts';
import { TokenAdmin, TokenInputError, type CreateTokenInput, type TokenView } from '../tokens/token-admin.ts';
import { TokenRepository } from '../tokens/token-repository.ts';
import { createRevocationNotices } from '../tokens/revocation-notices.ts';

export interface TokenClient {
  readonly via: 'database' | 'service';
  create(input: CreateTokenInput): Promise<{ token: string; record: TokenView }>;
  list(): Promise<TokenView[]>;
  revoke(jti: string, at?: Date): Promise<TokenView>;
  close(): Promise<void>;
}

export const ADMIN_ENDPOINT_FILE = 'admin.json';

function serviceClient(url: string, secret: string): TokenClient {
  const call = async <T>(method: string, route: string, body?: unknown): Promise<T> => {
    const response = await fetch(new URL(`/admin/v1${route}`, url), {
      method,
      headers: { authorization: `Bearer ${secret}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const payload = (await response.json()) as T & { error?: string };
    if (response.status === 422) throw new TokenInputError(payload.error ?? 'invalid input');
    if (!response.ok) throw new Error(`the running service answered ${response.status}: ${payload.error ?? ''}`);
    return payload;
  };
  return {
    via: 'service',
    create: (input) => call('POST', '/tokens', input),
    list: () => call('GET', '/tokens'),
    revoke: (jti, at) => call('POST', `/tokens/${encodeURIComponent(jti)}/revoke`, at === undefined ? {} : { at: at.toISOString() }),
    close: () => Promise.resolve(),
  };
}

export async function openTokenClient(config: Config): Promise<TokenClient> {
  const secrets = loadLocalSecrets(config.dataDir);
  if (config.databaseUrl === undefined && readLockHolder(config.dataDir) !== undefined) {
    let endpoint: { url: string };
    try {
      endpoint = JSON.parse(readFileSync(path.join(config.dataDir, ADMIN_ENDPOINT_FILE), 'utf8')) as { url: string };
    } catch {
      throw new Error(`the embedded database in ${config.dataDir} is held by a running process that publishes no admin endpoint`);
    }
    return serviceClient(endpoint.url, secrets.adminSecret);
  }
  const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  try {
    await migrateToLatest(database.db);
  } catch (error) {
    await database.close();
    throw error;
  }
  // With Redis, running instances hear of a revocation made here at once.
  const revocations = createRevocationNotices(config.redisUrl);
  const admin = new TokenAdmin({
    repository: new TokenRepository(database.db),
    keyring: createKeyring(config.tokens.signingKeys ?? secrets.signingKeys),
    now: () => new Date(),
    knownScopes: allScopes(),
    revocations,
  });
  return {
    via: 'database',
    create: (input) => admin.create(input),
    list: () => admin.list(),
    revoke: (jti, at) => admin.revoke(jti, at),
    close: async () => {
      await revocations.close();
      await database.close();
    },
  };
}
