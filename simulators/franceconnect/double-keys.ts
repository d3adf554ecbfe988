/**
 * The FranceConnect double's signing keys, generated at start (ES256), with rotation and the
 * signature faults the live checker must refuse (docs/adr/0121-franceconnect-double.md):
 * - `bad-signature`: signed with a throwaway key under the *published* `kid`;
 * - `unknown-kid`: signed with a throwaway key under a `kid` the JWKS never lists.
 */
import { randomUUID } from 'node:crypto';
import { exportJWK, generateKeyPair, SignJWT, type JWK, type JWTPayload, type CryptoKey } from 'jose';

export type SignatureFault = 'bad-signature' | 'unknown-kid';

interface KeyPair {
  kid: string;
  privateKey: CryptoKey;
  publicJwk: JWK;
}

const ALG = 'ES256';

async function newKeyPair(kid: string = randomUUID()): Promise<KeyPair> {
  const { privateKey, publicKey } = await generateKeyPair(ALG, { extractable: true });
  return { kid, privateKey, publicJwk: { ...(await exportJWK(publicKey)), kid, alg: ALG, use: 'sig' } };
}

export class DoubleKeys {
  #published: KeyPair[];

  private constructor(first: KeyPair) {
    this.#published = [first];
  }

  static async create(): Promise<DoubleKeys> {
    return new DoubleKeys(await newKeyPair());
  }

  /** The key that signs now (the newest). */
  get currentKid(): string {
    return (this.#published.at(-1) as KeyPair).kid;
  }

  /** The public JWKS: every published key, newest last. */
  jwks(): { keys: JWK[] } {
    return { keys: this.#published.map((k) => k.publicJwk) };
  }

  /**
   * Publishes a new signing key. `retireOld` drops the previous ones from the JWKS (a hard rotation);
   * otherwise they stay listed, as during a real rollover.
   */
  async rotate(options: { retireOld?: boolean } = {}): Promise<string> {
    const next = await newKeyPair();
    this.#published = options.retireOld ? [next] : [...this.#published, next];
    return next.kid;
  }

  /** Signs a JWT with the current key, or with a forged one when a fault is asked for. */
  async sign(payload: JWTPayload, typ: string, fault?: SignatureFault): Promise<string> {
    const current = this.#published.at(-1) as KeyPair;
    let key = current;
    if (fault === 'bad-signature') key = { ...(await newKeyPair(current.kid)), kid: current.kid };
    if (fault === 'unknown-kid') key = await newKeyPair(`unpublished-${randomUUID()}`);
    return new SignJWT(payload).setProtectedHeader({ alg: ALG, kid: key.kid, typ }).sign(key.privateKey);
  }
}
