/** `api-particulier habilitations list|notices` on an embedded database no service holds. */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { buildCli } from '../src/cli/main.ts';
import { loadConfig } from '../src/config/config.ts';
import { buildHabilitations } from '../src/habilitations/habilitations.ts';
import { migrateToLatest } from '../src/infra/db/migrate.ts';
import { openDatabase } from '../src/infra/db/open-database.ts';
import { loadLocalSecrets } from '../src/infra/local-secrets.ts';
import { providers } from '../src/providers/index.ts';
import { createKeyring } from '../src/tokens/keyring.ts';
import { approvedHabilitation } from './helpers/habilitation-fixtures.ts';

let dataDir: string;
let approvedId: string;

async function cli(...args: string[]): Promise<string[]> {
  const lines: string[] = [];
  const config = () => loadConfig({ DATA_DIR: dataDir, LOG_LEVEL: 'silent' });
  await buildCli(config, (line) => lines.push(line)).parseAsync(['node', 'api-particulier', ...args]);
  return lines;
}

before(async () => {
  dataDir = mkdtempSync(path.join(tmpdir(), 'apip-habil-cli-'));
  const database = await openDatabase({ dataDir });
  try {
    await migrateToLatest(database.db);
    const h = buildHabilitations({
      config: loadConfig({ DATA_DIR: dataDir }),
      database,
      keyring: createKeyring(loadLocalSecrets(dataDir).signingKeys),
      now: () => new Date(),
      registry: providers,
      forgetVerifiedTokens: () => undefined,
    });
    approvedId = (await approvedHabilitation(h)).id;
    const draft = await h.service.createDraft({ product: 'api_particulier', kind: 'collectivite_administration', actor: { role: 'applicant', id: 'a@b.fr' } });
    assert.ok(draft.ok);
  } finally {
    await database.close();
  }
});
after(() => rmSync(dataDir, { recursive: true, force: true }));

describe('habilitations CLI', () => {
  test('list, and list by status', async () => {
    const all = await cli('habilitations', 'list');
    assert.equal(all.length, 2);
    const validated = await cli('habilitations', 'list', '--status', 'validated');
    assert.equal(validated.length, 1);
    assert.match(validated[0] ?? '', new RegExp(`^${approvedId}\\tvalidée\\tapi_particulier\\t21350238800019\\tTarif de la cantine$`));
    await assert.rejects(cli('habilitations', 'list', '--status', 'perdue'), /unknown status/);
  });

  test('notices: nothing due for a fresh token', async () => {
    assert.deepEqual(await cli('habilitations', 'notices'), ['0 rappel(s) envoyé(s), 0 échec(s).']);
  });
});
