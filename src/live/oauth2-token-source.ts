/**
 * OAuth2 client-credentials tokens for one upstream (RFC 6749 §4.4): one token cached at a time,
 * renewed `refreshBeforeMs` before it expires so that no call ever presents an expired token, and
 * fetched once for all concurrent callers (single flight). The token value never reaches a log.
 */
import type { Dispatcher } from 'undici';

export interface OAuth2TokenSourceOptions {
  tokenUrl: string;
  clientId: string;
  clientSecret: string;
  scope?: string | undefined;
  /** The pool that reaches the token endpoint (mTLS options included). */
  dispatcher: Dispatcher;
  /** Renew this long before expiry (default 30 s, capped at half the token's lifetime). */
  refreshBeforeMs?: number;
  now?: () => number;
}

/** Why a token could not be had; the live client maps it like any upstream failure. */
export class TokenFetchError extends Error {
  readonly reason: 'status' | 'malformed' | 'network';
  constructor(reason: 'status' | 'malformed' | 'network', message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'TokenFetchError';
    this.reason = reason;
  }
}

interface CachedToken {
  value: string;
  /** When to renew (before the real expiry). */
  renewAt: number;
  expiresAt: number;
}

export class OAuth2TokenSource {
  readonly #options: OAuth2TokenSourceOptions;
  readonly #now: () => number;
  readonly #url: URL;
  #cached: CachedToken | undefined;
  #inFlight: Promise<CachedToken> | undefined;
  /** How many tokens were fetched: health and tests. */
  fetches = 0;

  constructor(options: OAuth2TokenSourceOptions) {
    this.#options = options;
    this.#now = options.now ?? (() => Date.now());
    this.#url = new URL(options.tokenUrl);
  }

  /**
   * A valid token. A token close to expiry is renewed in the background while still served; an
   * expired (or absent) one is awaited, for at most `waitMs` (the caller's budget left).
   */
  async token(waitMs?: number): Promise<string> {
    const cached = this.current();
    if (cached !== undefined) return cached;
    const fresh = await raceAbort(this.#refresh(), waitMs === undefined ? undefined : AbortSignal.timeout(Math.max(1, Math.ceil(waitMs))));
    return fresh.value;
  }

  /**
   * The cached token while it is valid, without waiting (the call path's common case: one `await`
   * less per upstream call); past its renewal instant a refresh starts in the background. Undefined
   * when none is valid: `token()` then fetches one.
   */
  current(): string | undefined {
    const cached = this.#cached;
    if (cached === undefined) return undefined;
    const now = this.#now();
    if (now >= cached.expiresAt) return undefined;
    if (now >= cached.renewAt) this.#refresh().catch(() => undefined);
    return cached.value;
  }

  /** Forgets the cached token (the upstream answered 401 to it). */
  invalidate(value: string): void {
    if (this.#cached?.value === value) this.#cached = undefined;
  }

  #refresh(): Promise<CachedToken> {
    this.#inFlight ??= this.#fetch().finally(() => {
      this.#inFlight = undefined;
    });
    return this.#inFlight;
  }

  async #fetch(): Promise<CachedToken> {
    const form = new URLSearchParams({ grant_type: 'client_credentials' });
    if (this.#options.scope !== undefined) form.set('scope', this.#options.scope);
    const basic = Buffer.from(`${encodeURIComponent(this.#options.clientId)}:${encodeURIComponent(this.#options.clientSecret)}`).toString('base64');
    this.fetches += 1;
    let response: Dispatcher.ResponseData;
    try {
      response = await this.#options.dispatcher.request({
        origin: this.#url.origin,
        path: this.#url.pathname + this.#url.search,
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${basic}`, accept: 'application/json' },
        body: form.toString(),
        signal: AbortSignal.timeout(10_000),
      });
    } catch (error) {
      throw new TokenFetchError('network', 'token endpoint unreachable', { cause: error });
    }
    const text = await response.body.text();
    if (response.statusCode !== 200) throw new TokenFetchError('status', `token endpoint answered ${response.statusCode}`);
    let body: { access_token?: unknown; expires_in?: unknown; token_type?: unknown };
    try {
      body = JSON.parse(text) as typeof body;
    } catch {
      throw new TokenFetchError('malformed', 'token endpoint answered a non-JSON body');
    }
    if (typeof body.access_token !== 'string' || body.access_token === '' || (body.token_type !== undefined && String(body.token_type).toLowerCase() !== 'bearer')) {
      throw new TokenFetchError('malformed', 'token endpoint answered without a bearer access_token');
    }
    const lifetimeMs = typeof body.expires_in === 'number' && body.expires_in > 0 ? body.expires_in * 1000 : 60_000;
    const now = this.#now();
    const before = Math.min(this.#options.refreshBeforeMs ?? 30_000, lifetimeMs / 2);
    const token = { value: body.access_token, renewAt: now + lifetimeMs - before, expiresAt: now + lifetimeMs };
    this.#cached = token;
    return token;
  }
}

function raceAbort<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (signal === undefined) return promise;
  if (signal.aborted) return Promise.reject(signal.reason as Error);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason as Error);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error as Error);
      },
    );
  });
}
