/**
 * Where a request starts: the catalogue links to `/compte/habilitations/nouvelle?api=<provider>/<api>
 * &modele=<catalogue template>`; this file turns those into the habilitation domain's product and
 * use-case template. docs/adr/0160-habilitation-pages.md.
 */
import { productById, products, type Product } from '../../habilitations/products.ts';
import type { UseCaseTemplate } from '../../habilitations/use-case-templates.ts';

/**
 * The catalogue's template slugs (src/portal/catalogue/use-case-templates.ts) name use cases for
 * people; the habilitation templates (src/habilitations/templates/) are the pre-filled forms. Slugs
 * without a pre-filled form start a blank request.
 */
const CATALOGUE_TEMPLATE_ALIASES: Readonly<Record<string, string>> = {
  'cantine-scolaire': 'restauration-scolaire',
  'tarification-transports': 'tarification-sociale-transports',
  creche: 'accueil-jeune-enfant',
  'aides-sociales-facultatives': 'aides-sociales-ccas',
  'vie-etudiante': 'bourses-inscriptions-etudiantes',
};

/** A product id, or a catalogue API key `<provider id>/<segment>`: the product that opens it. */
export function productOfApi(api: string): Product | undefined {
  const direct = productById(api);
  if (direct !== undefined) return direct;
  const provider = api.split('/')[0] ?? '';
  return products.find((p) => p.providers.includes(provider) && p.scopes === undefined) ?? products.find((p) => p.providers.includes(provider));
}

/** The habilitation template a catalogue slug (or a template id) names for this product, if any. */
export function templateOfSlug(slug: string, product: Product, templates: readonly UseCaseTemplate[]): UseCaseTemplate | undefined {
  const id = CATALOGUE_TEMPLATE_ALIASES[slug] ?? slug;
  return templates.find((t) => t.id === id && t.product === product.id);
}
