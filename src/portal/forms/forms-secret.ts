/**
 * The secret of the portal's forms (issue 7 item 4): from `SECURE_TRANSFER_KEY` when set, otherwise
 * generated once and kept in `<dataDir>/secrets.json` beside the other local secrets. Two keys are
 * derived from it with HKDF-SHA256, one per use: the AES-256-GCM key of the secure transfer form and
 * the HMAC key of the newsletter's unsubscribe links (docs/adr/0143-secure-transfer-form.md).
 */
import { hkdfSync, randomBytes } from 'node:crypto';
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { loadLocalSecrets } from '../../infra/local-secrets.ts';

const KEY = 'portalFormsSecret';

export interface FormsKeys {
  /** 32 bytes: AES-256-GCM key of the secure transfer messages. */
  secureTransfer: Buffer;
  /** 32 bytes: HMAC-SHA256 key of the newsletter's unsubscribe links. */
  unsubscribe: Buffer;
}

/** Returns the configured secret, or the one stored in `<dataDir>/secrets.json` (created if missing). */
export function portalFormsSecret(configured: string | undefined, dataDir: string): string {
  if (configured !== undefined) return configured;
  loadLocalSecrets(dataDir); // creates and checks the file when absent
  const file = path.join(dataDir, 'secrets.json');
  const secrets = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  const existing = secrets[KEY];
  if (typeof existing === 'string' && existing.length >= 32) return existing;
  const secret = randomBytes(32).toString('base64url');
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify({ ...secrets, [KEY]: secret }, null, 2)}\n`, { mode: 0o600 });
  renameSync(tmp, file); // atomic, as local-secrets.ts does
  return secret;
}

/** Derives the two keys; a different `info` per use, so one key never serves two purposes. */
export function deriveFormsKeys(secret: string): FormsKeys {
  if (secret.length < 32) throw new TypeError('the forms secret must be at least 32 characters');
  const salt = Buffer.from('api-particulier portal forms');
  const derive = (info: string): Buffer => Buffer.from(hkdfSync('sha256', Buffer.from(secret, 'utf8'), salt, Buffer.from(info), 32));
  return { secureTransfer: derive('secure-transfer aes-256-gcm v1'), unsubscribe: derive('newsletter unsubscribe hmac v1') };
}
