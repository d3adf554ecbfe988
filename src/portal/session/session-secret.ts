/**
 * The cookie-signing secret of the portal. From `PORTAL_SESSION_SECRET` when set; otherwise generated
 * once and kept in `<dataDir>/secrets.json` beside the other local secrets (src/infra/local-secrets.ts),
 * so that sessions survive a restart. The file's other entries are kept as they are.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { loadLocalSecrets } from '../../infra/local-secrets.ts';

const KEY = 'portalSessionSecret';

/** Returns the configured secret, or the one stored in `<dataDir>/secrets.json` (created if missing). */
export function portalSessionSecret(configured: string | undefined, dataDir: string): string {
  if (configured !== undefined) return configured;
  loadLocalSecrets(dataDir); // creates the file (and checks it) when absent
  const file = path.join(dataDir, 'secrets.json');
  const secrets = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  const existing = secrets[KEY];
  if (typeof existing === 'string' && existing.length >= 32) return existing;
  const secret = randomBytes(32).toString('base64url');
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify({ ...secrets, [KEY]: secret }, null, 2)}\n`, { mode: 0o600 });
  renameSync(tmp, file);
  return secret;
}
