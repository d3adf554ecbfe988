/** GIP-MDS (Modernisation des déclarations sociales) — contrats de service civique (CONTRACT §1.3 routes 27–28). */
import { defineProvider } from '../../core/endpoint.ts';

export const gipMds = defineProvider({
  id: 'gip-mds',
  name: 'GIP-MDS',
  scopes: {},
  endpoints: [],
});
