/**
 * The sandbox demo token (issue 2 interface): all scopes, all modalities, written to
 * `<dataDir>/demo-token.txt` so a newcomer can call the API right after `npm start`. It is reused
 * across restarts while it is active and still covers every scope the providers declare.
 */
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { TokenAdmin } from '../tokens/token-admin.ts';
import type { TokenVerifier } from '../tokens/token-verifier.ts';

export const DEMO_TOKEN_FILE = 'demo-token.txt';

export async function ensureDemoToken(deps: {
  dataDir: string;
  tokens: TokenAdmin;
  verifier: TokenVerifier;
  knownScopes: readonly string[];
}): Promise<string> {
  const file = path.join(deps.dataDir, DEMO_TOKEN_FILE);
  const existing = (await readFile(file, 'utf8').catch(() => '')).trim();
  if (existing !== '') {
    const record = await deps.verifier.verify(existing).catch(() => undefined);
    const held = new Set(record?.scopes ?? []);
    if (record !== undefined && deps.knownScopes.every((scope) => held.has(scope))) return existing;
  }
  const { token } = await deps.tokens.create({
    allScopes: true,
    name: 'Jeton de démonstration du bac à sable',
    owner: 'sandbox',
  });
  await writeFile(file, `${token}\n`, { mode: 0o600 });
  return token;
}
