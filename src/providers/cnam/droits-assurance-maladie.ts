/**
 * Droits à l'Assurance Maladie (seeds/003): FranceConnect only, for healthcare establishments and
 * organismes complémentaires. No official OpenAPI route exists; the contract is
 * src/providers/cnam/CONTRACT.md and its decisions docs/adr/0050-cnam-droits-assurance-maladie.md.
 */
import { Type } from 'typebox';
import { pickParams, FRANCE_CONNECT_PIVOT_PARAMS } from '../../core/civility.ts';
import type { EndpointDefinition } from '../../core/endpoint.ts';
import { gatewayErrors } from '../../core/gateway-errors.ts';
import { droitsAssuranceMaladieData } from './droits-assurance-maladie-schema.ts';
import { cnamErrors } from './errors.ts';

/**
 * The FranceConnect identity pivot (CONTRACT §5.1): what the Assurance Maladie matches its
 * beneficiaries on. The usage name (`preferred_username`) is not part of the pivot and is dropped
 * (ADR 0050 §3).
 */
export const CNAM_IDENTITY_PARAMS = FRANCE_CONNECT_PIVOT_PARAMS;

/** Paths unlocked by every scope, so that each element of `beneficiaires` stays attributable. */
const ALWAYS = 'beneficiaires.est_personne_connectee';

/** Scopes open to organismes complémentaires and healthcare establishments. */
export const CNAM_COMMON_SCOPES = ['cnam_beneficiaires', 'cnam_caisse_gestionnaire', 'cnam_droits'] as const;
/** Scopes reserved to healthcare establishments (seeds/003): health data (RGPD art. 9), ADR 0050 §4. */
export const CNAM_RESTRICTED_SCOPES = ['cnam_exonerations_ticket_moderateur', 'cnam_medecin_traitant'] as const;

const masking = {
  cnam_beneficiaires: [
    ALWAYS,
    'beneficiaires.qualite',
    'beneficiaires.nom_naissance',
    'beneficiaires.nom_usage',
    'beneficiaires.prenoms',
    'beneficiaires.date_naissance',
    'beneficiaires.sexe',
  ],
  cnam_caisse_gestionnaire: [ALWAYS, 'beneficiaires.caisse_gestionnaire'],
  cnam_droits: [ALWAYS, 'beneficiaires.droits'],
  cnam_exonerations_ticket_moderateur: [ALWAYS, 'beneficiaires.exonerations_ticket_moderateur'],
  cnam_medecin_traitant: [ALWAYS, 'beneficiaires.medecin_traitant'],
} satisfies Record<(typeof CNAM_COMMON_SCOPES)[number] | (typeof CNAM_RESTRICTED_SCOPES)[number], string[]>;

const description = `Droits à l'Assurance Maladie de la personne connectée via FranceConnect et des bénéficiaires qui lui sont rattachés (ayants droit) : caisse gestionnaire (régime, caisse, centre de gestion, adresse de la caisse) et niveau de couverture (droits de base, complémentaire santé solidaire, médecin traitant déclaré). Pour les seuls établissements de soins : motifs d'exonération du ticket modérateur et identité du médecin traitant. Source : Caisse nationale de l'Assurance Maladie (CNAM).

**Qui peut l'appeler** : les établissements de soins (pré-admission) et les organismes complémentaires d'assurance maladie (adhésion), sous convention d'usage avec la CNAM. Route **FranceConnect uniquement** : le jeton d'accès FranceConnect du particulier remplace le jeton API Particulier et les paramètres d'état civil ; l'Assurance Maladie retrouve la personne par son identité pivot (noms de naissance, prénoms, date et lieu de naissance, sexe), sans le nom d'usage. Seul \`recipient\` est attendu en paramètre.

**Scopes** (un champ non couvert est absent) :
- \`cnam_beneficiaires\` : identité et qualité (assuré, ayant droit) de chaque bénéficiaire ;
- \`cnam_caisse_gestionnaire\` : \`caisse_gestionnaire\` ;
- \`cnam_droits\` : \`droits\` (droits de base, C2S, médecin traitant déclaré) ;
- \`cnam_exonerations_ticket_moderateur\` (**réservé aux établissements de soins**) : \`exonerations_ticket_moderateur\`, le motif seul, jamais la pathologie ;
- \`cnam_medecin_traitant\` (**réservé aux établissements de soins**) : \`medecin_traitant\`.

\`beneficiaires[].est_personne_connectee\` est donné avec chaque scope. La personne connectée est toujours le premier élément.

**Périmètre** : seuls les bénéficiaires du régime général et des régimes hébergés dans ses systèmes d'information (CNMSS, CAMIEG, MNH, CAVIMAC…) sont connus. Une personne affiliée à un autre régime (MSA, MGEN…) reçoit une **404 \`43003\` « Assuré hors régime général »**, distincte de la 404 \`43003\` « Assuré non trouvé » par son \`title\` et son \`detail\`.

Contrat complet : \`src/providers/cnam/CONTRACT.md\`. Réponse non mise en cache.`;

export const droitsAssuranceMaladieFranceConnect: EndpointDefinition = {
  operationId: 'api_particulier_v3_cnam_droits_assurance_maladie_with_france_connect',
  path: '/v3/cnam/droits_assurance_maladie/france_connect',
  modality: 'france_connect',
  summary: "[FranceConnect] Droits à l'Assurance Maladie",
  description,
  tag: "Droits à l'Assurance Maladie",
  // Only `recipient`, which the pipeline adds: the person comes from the FranceConnect token.
  params: Type.Object({}),
  franceConnectParams: pickParams(CNAM_IDENTITY_PARAMS),
  paramError: () => gatewayErrors.invalidParameter,
  data: droitsAssuranceMaladieData,
  masking,
  providerErrors: [
    cnamErrors.notFound,
    cnamErrors.otherRegime,
    cnamErrors.unknown,
    cnamErrors.unavailable,
    cnamErrors.timeout,
    cnamErrors.throttled,
    cnamErrors.dns,
  ],
  // No cacheTtlSeconds: health data is not kept by the gateway (ADR 0050 §6).
};
