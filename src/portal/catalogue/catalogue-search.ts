/**
 * Catalogue search and filters (issue 7 item 1): free text, provider, theme, FranceConnect. Driven
 * by a plain GET form, so it works without JavaScript and every result page has its own URL.
 */
import type { CatalogueApi } from './catalogue-model.ts';

export interface CatalogueQuery {
  q: string;
  provider: string;
  theme: string;
  franceConnect: '' | 'oui' | 'non';
}

/** Lower-case, accents removed: « Scolarité » matches « scolarite ». */
export function normalise(text: string): string {
  return text.normalize('NFD').replace(/\p{Diacritic}/gu, '').toLowerCase();
}

function one(value: unknown): string {
  const v = Array.isArray(value) ? value[0] : value;
  return typeof v === 'string' ? v.slice(0, 200) : '';
}

/** Reads the query string; unknown values are kept (they simply match nothing) and never echoed unescaped. */
export function parseCatalogueQuery(raw: Record<string, unknown>): CatalogueQuery {
  const fc = one(raw.franceconnect);
  return { q: one(raw.q).trim(), provider: one(raw.fournisseur), theme: one(raw.theme), franceConnect: fc === 'oui' || fc === 'non' ? fc : '' };
}

function haystack(api: CatalogueApi): string {
  const t = api.texts;
  return normalise([t.title, t.summary, t.providerLabel, ...t.purpose, ...t.themes, ...api.scopeGroups.flatMap((g) => [g.key, ...g.scopes.map((s) => s.label), ...g.fields.map((f) => `${f.path} ${f.title}`)])].join(' '));
}

export function searchCatalogue(apis: readonly CatalogueApi[], query: CatalogueQuery): CatalogueApi[] {
  const words = normalise(query.q).split(/\s+/).filter((w) => w !== '');
  return apis.filter((api) => {
    if (query.provider !== '' && api.texts.providerSlug !== query.provider) return false;
    if (query.theme !== '' && !(api.texts.themes as string[]).includes(query.theme)) return false;
    if (query.franceConnect === 'oui' && !api.franceConnect) return false;
    if (query.franceConnect === 'non' && api.franceConnect) return false;
    if (words.length === 0) return true;
    const text = haystack(api);
    return words.every((w) => text.includes(w));
  });
}
