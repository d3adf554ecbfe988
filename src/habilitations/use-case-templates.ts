/**
 * Use-case templates (issue 5 §4, U33–U34): YAML files in `templates/`, one per use case, that
 * pre-fill the purpose, description, scopes, legal framework and identification of a request.
 * Versioned and retirable (`retired: true` hides one from new requests). Checked against the
 * registry at load: a template naming an unknown scope is a boot error, not a surprise in a form.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import type { ProviderManifest } from '../core/endpoint.ts';
import { productById } from './products.ts';
import { OWN_MEANS, PURPOSES, type HabilitationForm, type OwnMeans, type Purpose } from './request-form.ts';
import { scopeCatalogue, scopeIndex } from './scope-catalogue.ts';

export const TEMPLATES_DIR = fileURLToPath(new URL('./templates/', import.meta.url));

export interface UseCaseTemplate {
  id: string;
  version: number;
  product: string;
  title: string;
  purpose: Purpose;
  description: string;
  scopes: string[];
  legal: { text: string; reference: string };
  /** Call modalities suggested: `france_connect` and/or own means. */
  modalities: string[];
  retired: boolean;
}

/** Reads and checks every `*.yaml` of a directory. @throws Error listing every problem. */
export function loadTemplates(registry: readonly ProviderManifest[], dir: string = TEMPLATES_DIR): UseCaseTemplate[] {
  const problems: string[] = [];
  const templates: UseCaseTemplate[] = [];
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.yaml')).sort()) {
    const raw = parse(readFileSync(path.join(dir, file), 'utf8')) as Record<string, unknown> | null;
    const where = `${file}:`;
    if (raw === null || typeof raw !== 'object') {
      problems.push(`${where} not a YAML mapping`);
      continue;
    }
    const product = productById(String(raw.product));
    if (product === undefined) problems.push(`${where} unknown product ${String(raw.product)}`);
    if (raw.id !== path.basename(file, '.yaml')) problems.push(`${where} id must be the file name`);
    if (!Object.hasOwn(PURPOSES, String(raw.purpose))) problems.push(`${where} unknown purpose ${String(raw.purpose)}`);
    const legal = raw.legal as { text?: unknown; reference?: unknown } | undefined;
    if (typeof raw.title !== 'string' || typeof raw.description !== 'string' || typeof legal?.text !== 'string') {
      problems.push(`${where} title, description and legal.text are required strings`);
    }
    const scopes = Array.isArray(raw.scopes) ? raw.scopes.map(String) : [];
    if (scopes.length === 0) problems.push(`${where} scopes must list at least one scope`);
    if (product !== undefined) {
      const known = scopeIndex(scopeCatalogue(product, registry));
      for (const s of scopes) if (!known.has(s)) problems.push(`${where} scope ${s} is not offered by ${product.id}`);
    }
    const modalities = Array.isArray(raw.modalities) ? raw.modalities.map(String) : [];
    for (const m of modalities) if (!product?.modalities.includes(m as never)) problems.push(`${where} modality ${m} not offered`);
    templates.push({
      id: String(raw.id),
      version: Number(raw.version ?? 1),
      product: String(raw.product),
      title: String(raw.title),
      purpose: raw.purpose as Purpose,
      description: String(raw.description),
      scopes,
      legal: { text: String(legal?.text ?? ''), reference: String(legal?.reference ?? '') },
      modalities,
      retired: raw.retired === true,
    });
  }
  if (problems.length > 0) throw new Error(`Invalid use-case templates:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  return templates;
}

/** The steps a template pre-fills. The applicant still reads and adapts them (seeds/004). */
export function prefillFrom(template: Pick<UseCaseTemplate, 'id' | 'title' | 'purpose' | 'description' | 'scopes' | 'legal' | 'modalities'>): HabilitationForm {
  const fc = template.modalities.includes('france_connect');
  const own = template.modalities.filter((m): m is OwnMeans => (OWN_MEANS as readonly string[]).includes(m) && m !== 'ine');
  return {
    use_case: { templateId: template.id, title: template.title, purpose: template.purpose, description: template.description },
    scopes: { scopes: [...template.scopes].sort() },
    // The INE is offered, never pre-ticked: the applicant confirms the purpose allows it.
    identification: { mode: fc && own.length > 0 ? 'both' : fc ? 'france_connect' : 'own', fcClientIds: [], ownMeans: own },
    legal: { text: template.legal.text, reference: template.legal.reference, expectedVolume: 0 },
  };
}
