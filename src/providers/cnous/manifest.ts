/** Cnous — bourses sur critères sociaux (CONTRACT §1.3 routes 17–22). */
import { defineProvider } from '../../core/endpoint.ts';

export const cnous = defineProvider({
  id: 'cnous',
  name: 'CNOUS',
  scopes: {},
  endpoints: [],
});
