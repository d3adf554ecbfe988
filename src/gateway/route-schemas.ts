/**
 * Response schemas of a data route, for the generated OpenAPI document (never written by hand):
 * the `{data, links, meta}` envelope around the endpoint's data schema, and one error schema per
 * status with the contract's examples.
 */
import { Type, type TSchema } from 'typebox';
import { documentedErrors, type EndpointDefinition } from '../core/endpoint.ts';
import { itemOf, type ErrorDefinition } from '../core/errors.ts';
import { gatewayErrors } from '../core/gateway-errors.ts';

export const errorBodySchema = Type.Object(
  {
    errors: Type.Array(
      Type.Object({
        code: Type.String({ pattern: '^[0-9]{5}$', description: 'Code de l’erreur, 5 chiffres' }),
        title: Type.String(),
        detail: Type.String(),
        source: Type.Union([Type.Object({ parameter: Type.String() }), Type.Null()]),
        meta: Type.Object({}, { additionalProperties: true }),
      }),
      { minItems: 1 },
    ),
  },
  { $id: 'Error', title: 'Error' },
);

const STATUS_DESCRIPTIONS: Record<number, string> = {
  401: 'Non autorisé : jeton absent, invalide, expiré ou révoqué',
  403: 'Accès interdit : le jeton ne couvre pas cette route ou cette modalité d’appel',
  404: 'Personne ou dossier non trouvé chez le fournisseur',
  409: 'Conflit : une requête identique de ce jeton est déjà en cours',
  422: 'Paramètres invalides',
  429: 'Trop de requêtes',
  502: 'Erreur du fournisseur de données',
  503: 'Journal des accès indisponible : aucune donnée transmise',
  504: 'Fournisseur indisponible ou hors délai',
};

export function successResponseSchema(endpoint: EndpointDefinition): TSchema {
  return Type.Object(
    {
      data: endpoint.data,
      links: Type.Object({}, { additionalProperties: true }),
      meta: endpoint.meta ?? Type.Object({}, { additionalProperties: true }),
    },
    {
      description:
        'Succès. Seuls les champs ouverts par les scopes du jeton sont présents : un champ masqué est absent, jamais `null`.',
    },
  );
}

/** Provider errors carry `meta.provider` in their answers (CONTRACT §4.1); gateway errors `meta: {}`. */
export function errorResponseSchemas(endpoint: EndpointDefinition, providerName: (code: string) => string): Record<number, TSchema> {
  // `00…` codes among them (e.g. GIP-MDS's 00391) keep `meta: {}` as the official examples show.
  const providerCodes = new Set(endpoint.providerErrors.map((d) => d.code).filter((code) => !code.startsWith('00')));
  const byStatus = new Map<number, ErrorDefinition[]>();
  const add = (definition: ErrorDefinition): void => {
    byStatus.set(definition.status, [...(byStatus.get(definition.status) ?? []), definition]);
  };
  for (const def of [gatewayErrors.invalidToken, gatewayErrors.expiredToken, gatewayErrors.blacklistedToken]) add(def);
  add(gatewayErrors.insufficientPrivileges);
  add(gatewayErrors.conflict);
  add(gatewayErrors.missingRecipient);
  add(gatewayErrors.invalidRecipient);
  for (const parameter of Object.keys(endpoint.params.properties)) add(endpoint.paramError(parameter));
  add(endpoint.paramError(''));
  add(gatewayErrors.journalUnavailable);
  for (const def of documentedErrors(endpoint)) add(def);

  const out: Record<number, TSchema> = {};
  for (const [status, definitions] of [...byStatus].sort(([a], [b]) => a - b)) {
    const unique = [...new Map(definitions.map((d) => [`${d.code}${d.title}${d.detail}`, d])).values()];
    const codes = [...new Set(unique.map((d) => d.code))];
    out[status] = Type.Object(errorBodySchema.properties, {
      description: `${STATUS_DESCRIPTIONS[status] ?? 'Erreur'} — codes : ${codes.join(', ')}`,
      examples: unique.map((d) => ({ errors: [itemOf(d, providerCodes.has(d.code) ? { meta: { provider: providerName(d.code) } } : {})] })),
    });
  }
  return out;
}
