/** GIP-MDS (Modernisation des déclarations sociales) — contrats de service civique (CONTRACT §1.3 routes 27–28). */
import { fileURLToPath } from 'node:url';
import { defineProvider } from '../../core/endpoint.ts';
import { serviceCiviqueFranceConnect, serviceCiviqueIdentite } from './service-civique.ts';

// Scope names of the official tokens, not the OpenAPI prose (CONTRACT §8.4, ADR 0031).
export const gipMds = defineProvider({
  id: 'gip-mds',
  name: 'GIP-MDS',
  scopes: {
    gip_mds_service_civique_statut_actuel: { label: 'Service civique en cours : contrat trouvé ou non' },
    gip_mds_service_civique_statut_passe: { label: 'Service civique passé : contrat terminé trouvé ou non' },
    gip_mds_service_civique_organisme_accueil: { label: 'Service civique : organisme d’accueil (SIRET et raison sociale)' },
    gip_mds_service_civique_dates: { label: 'Service civique : dates de début et de fin du contrat' },
  },
  endpoints: [serviceCiviqueIdentite, serviceCiviqueFranceConnect],
  sandboxCasesDir: fileURLToPath(new URL('./cases/', import.meta.url)),
});
