/**
 * The synthetic public agents of the embedded identity provider (docs/adr/0101-portal-sign-in.md).
 * Fictitious people and organisations: the claims are shaped like ProConnect's
 * (`sub`, `email`, `given_name`, `usual_name`, `siret`, `idp_id`) so that the portal's sign-in code
 * is the same for the embedded provider and for the real one. The role each one gets in the portal
 * is the portal's own data (`src/portal/users/roles.ts`), seeded by email.
 */

/** One selectable agent on the local identity provider's login page. */
export interface SyntheticAgent {
  sub: string;
  email: string;
  given_name: string;
  usual_name: string;
  siret: string;
  idp_id: string;
  /** Shown on the login page only: who this agent is and what they may do in the portal. */
  organisation: string;
  description: string;
  /** The portal role this agent is meant to demonstrate. */
  role: 'applicant' | 'instructor' | 'provider_reviewer' | 'admin';
}

const IDP_ID = 'local-idp-api-particulier';

export const syntheticAgents: readonly SyntheticAgent[] = [
  {
    sub: 'agent-demandeur-villebelle',
    email: 'camille.durand@villebelle.example.fr',
    given_name: 'Camille',
    usual_name: 'Durand',
    siret: '21990999900019',
    idp_id: IDP_ID,
    organisation: 'Commune de Villebelle (fictive), service scolaire',
    description: 'Agente d’une commune : demande une habilitation pour la tarification de la cantine.',
    role: 'applicant',
  },
  {
    sub: 'agent-instructeur-dinum',
    email: 'nadia.benali@instruction.example.gouv.fr',
    given_name: 'Nadia',
    usual_name: 'Benali',
    siret: '13002526500013',
    idp_id: IDP_ID,
    organisation: 'DINUM (fictif), pôle API Particulier',
    description: 'Instructrice : examine les demandes d’habilitation.',
    role: 'instructor',
  },
  {
    sub: 'agent-relecteur-cnam',
    email: 'luc.moreau@cnam.example.fr',
    given_name: 'Luc',
    usual_name: 'Moreau',
    siret: '18000575000013',
    idp_id: IDP_ID,
    organisation: 'Caisse nationale de l’Assurance Maladie (fictif)',
    description: 'Relecteur chez un fournisseur de données : donne l’avis de la CNAM sur les demandes qui la concernent.',
    role: 'provider_reviewer',
  },
  {
    sub: 'agent-administrateur-dinum',
    email: 'alex.lambert@admin.example.gouv.fr',
    given_name: 'Alex',
    usual_name: 'Lambert',
    siret: '13022526500011',
    idp_id: IDP_ID,
    organisation: 'DINUM (fictif), exploitation',
    description: 'Administrateur : gère les jetons, les rôles et l’exploitation.',
    role: 'admin',
  },
];

/** The ProConnect-shaped claims of an agent (what userinfo answers). */
export function agentClaims(agent: SyntheticAgent): Record<string, string> {
  const { sub, email, given_name, usual_name, siret, idp_id } = agent;
  return { sub, email, given_name, usual_name, siret, idp_id };
}
