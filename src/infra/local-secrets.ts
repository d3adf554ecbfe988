/**
 * Secrets generated on first start when the environment provides none: the token signing keys, the
 * journal pseudonym key and the local admin secret the CLI uses to reach a running service.
 * Stored in `<dataDir>/secrets.json`, readable by the owner only. Production passes its keys in the
 * environment instead (docs/guides/configuration.md).
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export interface SigningKey {
  kid: string;
  secret: string;
}

export interface LocalSecrets {
  /** Ordered, oldest first: the last key signs, all keys verify. */
  signingKeys: SigningKey[];
  pseudonymKey: string;
  adminSecret: string;
}

const FILE = 'secrets.json';

function newSecret(): string {
  return randomBytes(32).toString('base64url');
}

export function newSigningKey(now: Date = new Date()): SigningKey {
  const stamp = now.toISOString().slice(0, 10).replaceAll('-', '');
  return { kid: `k${stamp}-${randomBytes(3).toString('hex')}`, secret: newSecret() };
}

function write(dataDir: string, secrets: LocalSecrets): void {
  const file = path.join(dataDir, FILE);
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(secrets, null, 2)}\n`, { mode: 0o600 });
  renameSync(tmp, file); // atomic: a crash never leaves a half-written key file
}

/** Reads `<dataDir>/secrets.json`, creating it (and the directory) on first use. */
export function loadLocalSecrets(dataDir: string): LocalSecrets {
  mkdirSync(dataDir, { recursive: true });
  const file = path.join(dataDir, FILE);
  try {
    const parsed = JSON.parse(readFileSync(file, 'utf8')) as Partial<LocalSecrets>;
    if (!Array.isArray(parsed.signingKeys) || parsed.signingKeys.length === 0 || !parsed.pseudonymKey || !parsed.adminSecret) {
      throw new Error(`${file} is incomplete: restore it from a backup or delete it to start afresh (issued tokens will stop verifying)`);
    }
    return parsed as LocalSecrets;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const secrets: LocalSecrets = { signingKeys: [newSigningKey()], pseudonymKey: newSecret(), adminSecret: newSecret() };
  write(dataDir, secrets);
  return secrets;
}

/** Adds a new signing key; tokens signed with older keys keep verifying (rotation without breakage). */
export function rotateLocalSigningKey(dataDir: string): SigningKey {
  const secrets = loadLocalSecrets(dataDir);
  const key = newSigningKey();
  secrets.signingKeys.push(key);
  write(dataDir, secrets);
  return key;
}
