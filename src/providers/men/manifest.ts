/** Ministère de l'Éducation nationale — scolarités (CONTRACT §1.3 routes 29–30). */
import { fileURLToPath } from 'node:url';
import { defineProvider } from '../../core/endpoint.ts';
import { scolaritesV3, scolaritesV4 } from './scolarites.ts';

export const men = defineProvider({
  id: 'men',
  name: 'MEN',
  // CONTRACT §3.1 (AUTHZ plus the two scopes of the default token) and §3.2 (one scope per data block).
  scopes: {
    men_statut_identite: { label: 'Identité de l’élève (nom, prénom, sexe, date de naissance)' },
    men_statut_scolarite: { label: 'Statut scolarisé de l’élève (année scolaire, statut de l’élève)' },
    men_statut_boursier: { label: 'Statut boursier de l’élève' },
    men_echelon_bourse: { label: 'Échelon de la bourse de l’élève' },
    men_statut_etablissement: { label: 'Établissement de l’élève (code UAI, ministère de tutelle)' },
    men_statut_module_elementaire_formation: { label: 'Module élémentaire de formation (classe) de l’élève' },
  },
  endpoints: [scolaritesV3, scolaritesV4],
  sandboxCasesDir: fileURLToPath(new URL('./cases/', import.meta.url)),
});
