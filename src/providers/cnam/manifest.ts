/** Assurance Maladie — droits à l'Assurance Maladie (seeds/003). */
import { defineProvider } from '../../core/endpoint.ts';

export const cnam = defineProvider({
  id: 'cnam',
  name: 'CNAM',
  scopes: {},
  endpoints: [],
});
