/** DSS: benefits paid by CAF and MSA, served by the CNAV (CONTRACT §1.3 routes 1–16). */
import { fileURLToPath } from 'node:url';
import { defineProvider } from '../../core/endpoint.ts';
import { providerNameOfCode } from './errors.ts';
import { aah } from './allocation-adulte-handicape.ts';
import { aeeh } from './allocation-enfant-handicape.ts';
import { asf } from './allocation-soutien-familial.ts';
import { c2sFranceConnect, c2sIdentite } from './complementaire-sante-solidaire.ts';
import { eaje } from './participation-familiale-eaje.ts';
import { primeActivite } from './prime-activite.ts';
import { quotientFamilialRoutes } from './quotient-familial.ts';
import { rsa } from './revenu-solidarite-active.ts';

export const dss = defineProvider({
  id: 'dss',
  name: 'CNAV',
  providerNameOfCode,
  // Scope names: CONTRACT §3.1 (AUTHZ), the `default` token for EAJE, ADR 0012 for AEEH.
  scopes: {
    cnaf_quotient_familial: { label: 'Quotient familial CAF ou MSA du mois demandé' },
    cnaf_allocataires: { label: 'Quotient familial : identité des allocataires' },
    cnaf_enfants: { label: 'Quotient familial : identité des enfants' },
    cnaf_adresse: { label: 'Quotient familial : adresse de la famille' },
    complementaire_sante_solidaire: { label: 'Statut de bénéficiaire de la complémentaire santé solidaire (C2S)' },
    allocation_adulte_handicape: { label: "Statut de bénéficiaire de l'allocation adulte handicapé (AAH)" },
    allocation_enfant_handicape: { label: "Statut au regard de l'allocation d'éducation de l'enfant handicapé (AEEH)" },
    allocation_soutien_familial: { label: "Statut de bénéficiaire de l'allocation de soutien familial (ASF)" },
    prime_activite: { label: "Statut de bénéficiaire de la prime d'activité et date d'ouverture du droit" },
    prime_activite_majoration: { label: "Prime d'activité : majoration" },
    revenu_solidarite_active: { label: 'Statut de bénéficiaire du RSA et date d’ouverture du droit' },
    revenu_solidarite_active_majoration: { label: 'RSA : majoration' },
    cnav_participation_familiale_eaje_allocataires: { label: 'Participation familiale EAJE : identité des allocataires' },
    cnav_participation_familiale_eaje_enfants: { label: 'Participation familiale EAJE : identité des enfants' },
    cnav_participation_familiale_eaje_adresse: { label: 'Participation familiale EAJE : adresse de la famille' },
    cnav_participation_familiale_eaje_parametres_calcul: {
      label: 'Participation familiale EAJE : paramètres de calcul (enfants à charge, AEEH, ressources)',
    },
  },
  endpoints: [
    quotientFamilialRoutes.identite,
    quotientFamilialRoutes.franceConnect,
    c2sIdentite,
    c2sFranceConnect,
    aah.identite,
    aah.franceConnect,
    aeeh.identite,
    aeeh.franceConnect,
    asf.identite,
    asf.franceConnect,
    primeActivite.identite,
    primeActivite.franceConnect,
    rsa.identite,
    rsa.franceConnect,
    eaje.identite,
    eaje.franceConnect,
  ],
  sandboxCasesDir: fileURLToPath(new URL('./cases/', import.meta.url)),
});
