/** MESR — statut étudiant (CONTRACT §1.3 routes 31–33). */
import { defineProvider } from '../../core/endpoint.ts';

export const mesri = defineProvider({
  id: 'mesri',
  name: 'MESRI',
  scopes: {},
  endpoints: [],
});
