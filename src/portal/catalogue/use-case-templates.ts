/**
 * Pre-filled habilitation templates by use case (« modèles pré-remplis »), as listed on each API page
 * beside the request-access link. The habilitation forms that consume them live elsewhere; here they
 * only say which APIs a use case needs, by `<provider id>/<path segment>`.
 */
export interface UseCaseTemplate {
  slug: string;
  title: string;
  apis: readonly string[];
}

export const useCaseTemplates: readonly UseCaseTemplate[] = [
  { slug: 'tarification-transports', title: 'Tarification sociale et solidaire des transports', apis: ['dss/quotient_familial', 'dss/complementaire_sante_solidaire', 'dss/revenu_solidarite_active', 'france-travail/statut', 'cnous/etudiant_boursier', 'men/scolarites'] },
  { slug: 'cantine-scolaire', title: 'Tarification de la restauration scolaire', apis: ['dss/quotient_familial', 'men/scolarites'] },
  { slug: 'accueil-loisirs', title: 'Accueil de loisirs et périscolaire', apis: ['dss/quotient_familial', 'dss/allocation_enfant_handicape'] },
  { slug: 'creche', title: 'Participation familiale en crèche', apis: ['dss/participation_familiale_eaje', 'dss/quotient_familial'] },
  { slug: 'aides-sociales-facultatives', title: 'Aides sociales facultatives (CCAS)', apis: ['dss/quotient_familial', 'dss/revenu_solidarite_active', 'dss/allocation_adulte_handicape', 'dss/allocation_soutien_familial', 'dss/prime_activite', 'dss/complementaire_sante_solidaire', 'france-travail/indemnites'] },
  { slug: 'vie-etudiante', title: 'Aides et tarifs de la vie étudiante', apis: ['cnous/etudiant_boursier', 'mesri/statut_etudiant'] },
  { slug: 'pre-admission-soins', title: 'Pré-admission en établissement de soins', apis: ['cnam/droits_assurance_maladie'] },
  { slug: 'aides-mobilite', title: 'Aides à la mobilité et au stationnement', apis: ['ants/extrait_immatriculation_vehicule'] },
];
