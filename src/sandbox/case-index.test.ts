/**
 * `docs/reference/sandbox-cases.md` is generated (STYLE §2): the committed file must be exactly what
 * `api-particulier sandbox index` writes from the project's own cases.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { generateCaseIndex, REPO_ROOT } from '../cli/sandbox-commands.ts';
import { c2sIdentite } from '../providers/dss/complementaire-sante-solidaire.ts';
import { CASE_INDEX_FILE, renderCaseIndex } from './case-index.ts';
import type { LoadReport } from './load-cases.ts';

describe('sandbox case index', () => {
  test(`${CASE_INDEX_FILE} is up to date`, async () => {
    const committed = readFileSync(path.join(REPO_ROOT, CASE_INDEX_FILE), 'utf8');
    const generated = await generateCaseIndex([]);
    assert.ok(
      committed === generated,
      `${CASE_INDEX_FILE} is out of date: run \`node --import tsx src/cli/main.ts sandbox index\` (without SANDBOX_DATA_DIRS) and commit the result`,
    );
  });

  test('renders one table per route, params as `key=value`, paths relative to the base, pipes escaped', () => {
    const report: LoadReport = {
      cases: new Map([
        [
          c2sIdentite.operationId,
          [{ file: '/repo/cases/x/a.yaml', operationId: c2sIdentite.operationId, title: 'A | B', description: '', params: { prenoms: ['A', 'B'], annee: 2024 }, status: 404, body: {} }],
        ],
      ]),
      franceConnectTokens: new Map(),
      problems: [],
    };
    const markdown = renderCaseIndex(report, [c2sIdentite], '/repo');
    assert.match(markdown, /## `\/v3\/dss\/complementaire_sante_solidaire\/identite`/);
    assert.match(markdown, /\| A \\\| B \| `prenoms=\[A, B\]` `annee=2024` \| 404 \| `cases\/x\/a\.yaml` \|/);
  });
});
