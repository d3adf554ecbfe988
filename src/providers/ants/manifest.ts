/** ANTS — extrait d'immatriculation de véhicule (CONTRACT §1.3 route 35). */
import { defineProvider } from '../../core/endpoint.ts';

export const ants = defineProvider({
  id: 'ants',
  name: 'ANTS',
  scopes: {},
  endpoints: [],
});
