/** Ministère de l'Éducation nationale — scolarités (CONTRACT §1.3 routes 29–30). */
import { defineProvider } from '../../core/endpoint.ts';

export const men = defineProvider({
  id: 'men',
  name: 'MEN',
  scopes: {},
  endpoints: [],
});
