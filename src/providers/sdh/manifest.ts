/** Ministère des Sports — sportifs de haut niveau (CONTRACT §1.3 route 34). */
import { defineProvider } from '../../core/endpoint.ts';

export const sdh = defineProvider({
  id: 'sdh',
  name: 'SDH',
  scopes: {},
  endpoints: [],
});
