/** Direction du service national et de la jeunesse — service national (CONTRACT §1.3 routes 23–24). */
import { fileURLToPath } from 'node:url';
import { defineProvider } from '../../core/endpoint.ts';
import { serviceNationalFranceConnect, serviceNationalIdentite } from './service-national.ts';

export const dsnj = defineProvider({
  id: 'dsnj',
  name: 'DSNJ',
  scopes: {
    dsnj_statut_service_national: { label: 'Statut service national (en règle, pas en règle, indéterminé, non concerné) et commentaires de la DSNJ' },
  },
  endpoints: [serviceNationalIdentite, serviceNationalFranceConnect],
  sandboxCasesDir: fileURLToPath(new URL('./cases/', import.meta.url)),
});
