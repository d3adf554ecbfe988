/**
 * Writes a throw-away sandbox root (official layout) for tests, so HTTP tests say in one place which
 * people exist and what they answer, independent of the shipped cast.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { stringify } from 'yaml';

export interface TestCase {
  operationId: string;
  file: string;
  params: Record<string, unknown>;
  status: number;
  body: unknown;
}

export function writeCaseDir(cases: TestCase[]): string {
  const root = mkdtempSync(path.join(tmpdir(), 'apip-cases-'));
  for (const c of cases) {
    const dir = path.join(root, c.operationId);
    mkdirSync(dir, { recursive: true });
    writeFileSync(
      path.join(dir, c.file),
      stringify({ description: `## ${c.file}`, params: c.params, status: c.status, payload: JSON.stringify(c.body) }),
    );
  }
  return root;
}

export const C2S_IDENTITE = 'api_particulier_v3_cnav_complementaire_sante_solidaire_with_civility';
export const C2S_FC = 'api_particulier_v3_cnav_complementaire_sante_solidaire_with_france_connect';

/** A synthetic person born in France, as query params and as case params. */
export const LEA = {
  nomNaissance: 'ROCHEFORT',
  prenoms: ['LEA', 'MARIE'],
  anneeDateNaissance: 1991,
  moisDateNaissance: 6,
  jourDateNaissance: 2,
  sexeEtatCivil: 'F',
  codeCogInseePaysNaissance: '99100',
  codeCogInseeCommuneNaissance: '35238',
};

export function leaQuery(extra: Record<string, string> = {}): string {
  const q = new URLSearchParams({ recipient: '13002526500013' });
  for (const [k, v] of Object.entries(LEA)) {
    if (Array.isArray(v)) for (const item of v) q.append(`${k}[]`, item);
    else q.set(k, String(v));
  }
  for (const [k, v] of Object.entries(extra)) q.set(k, v);
  return q.toString();
}
