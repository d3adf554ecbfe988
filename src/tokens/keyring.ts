/**
 * HS256 signing keys identified by `kid`. The last key signs new tokens; every key verifies, so a
 * rotation never breaks tokens already issued (docs/guides/rotate-keys.md).
 */
import type { SigningKey } from '../infra/local-secrets.ts';

export interface Keyring {
  readonly current: { kid: string; key: Uint8Array };
  find(kid: string): Uint8Array | undefined;
}

export function createKeyring(keys: readonly SigningKey[]): Keyring {
  if (keys.length === 0) throw new TypeError('a keyring needs at least one key');
  const byKid = new Map<string, Uint8Array>();
  for (const { kid, secret } of keys) byKid.set(kid, new TextEncoder().encode(secret));
  const last = keys[keys.length - 1] as SigningKey;
  return {
    current: { kid: last.kid, key: byKid.get(last.kid) as Uint8Array },
    find: (kid) => byKid.get(kid),
  };
}
