/** ADR 0113's premise: the JWT re-derived from a token's row is the very token issued. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { issueToken, signToken } from '../tokens/issue-token.ts';
import { createKeyring } from '../tokens/keyring.ts';
import type { TokenRecord } from '../tokens/token-record.ts';
import type { TokenRepository } from '../tokens/token-repository.ts';

test('signing a stored row again gives the issued JWT, byte for byte', async () => {
  const keyring = createKeyring([{ kid: 'k1', secret: 'z'.repeat(40) }]);
  const rows: TokenRecord[] = [];
  const repository = { insert: async (r: TokenRecord) => void rows.push(structuredClone(r)) } as unknown as TokenRepository;
  for (let i = 0; i < 5; i += 1) {
    const { token } = await issueToken(
      { name: `Mairie – démarche ${i}`, owner: '21350238800019', scopes: ['b', 'a'], modalities: ['identite', 'france_connect'], fcClientIds: ['fc-1'], expiresInSeconds: 3600 + i },
      { repository, keyring, now: () => new Date(Date.UTC(2026, 0, 1, 0, 0, i, 789)) },
    );
    assert.equal(await signToken(rows[i] as TokenRecord, keyring), token);
  }
});
