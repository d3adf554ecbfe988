/** Assurance Maladie — droits à l'Assurance Maladie (seeds/003), FranceConnect only. */
import { fileURLToPath } from 'node:url';
import { defineProvider } from '../../core/endpoint.ts';
import { droitsAssuranceMaladieFranceConnect } from './droits-assurance-maladie.ts';

/** Labels say who may hold each scope (seeds/003; ADR 0050 §4). */
const BOTH = '(établissements de soins et organismes complémentaires)';
const CARE_ONLY = '(réservé aux établissements de soins)';

export const cnam = defineProvider({
  id: 'cnam',
  name: 'CNAM',
  scopes: {
    cnam_beneficiaires: {
      label: `Droits Assurance Maladie : identité de la personne connectée et des bénéficiaires qui lui sont rattachés ${BOTH}`,
    },
    cnam_caisse_gestionnaire: {
      label: `Droits Assurance Maladie : caisse gestionnaire (régime, caisse, centre de gestion, adresse) ${BOTH}`,
    },
    cnam_droits: {
      label: `Droits Assurance Maladie : niveau de couverture (droits de base, complémentaire santé solidaire, médecin traitant déclaré) ${BOTH}`,
    },
    cnam_exonerations_ticket_moderateur: {
      label: `Droits Assurance Maladie : motifs d'exonération du ticket modérateur ${CARE_ONLY}`,
    },
    cnam_medecin_traitant: { label: `Droits Assurance Maladie : identité du médecin traitant ${CARE_ONLY}` },
  },
  endpoints: [droitsAssuranceMaladieFranceConnect],
  sandboxCasesDir: fileURLToPath(new URL('./cases/', import.meta.url)),
});
