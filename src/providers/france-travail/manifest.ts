/** France Travail — statut et indemnités des demandeurs d'emploi (CONTRACT §1.3 routes 25–26). */
import { defineProvider } from '../../core/endpoint.ts';

export const franceTravail = defineProvider({
  id: 'france-travail',
  name: 'France Travail',
  scopes: {},
  endpoints: [],
});
