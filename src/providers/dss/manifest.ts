/** DSS: benefits paid by CAF and MSA, served by the CNAV (CONTRACT §1.3 routes 1–16). */
import { fileURLToPath } from 'node:url';
import { defineProvider } from '../../core/endpoint.ts';
import { c2sFranceConnect, c2sIdentite } from './complementaire-sante-solidaire.ts';

export const dss = defineProvider({
  id: 'dss',
  name: 'CNAV',
  scopes: {
    complementaire_sante_solidaire: { label: 'Statut de bénéficiaire de la complémentaire santé solidaire (C2S)' },
  },
  endpoints: [c2sIdentite, c2sFranceConnect],
  sandboxCasesDir: fileURLToPath(new URL('./cases/', import.meta.url)),
});
