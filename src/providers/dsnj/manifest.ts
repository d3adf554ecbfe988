/** Direction du service national et de la jeunesse — service national (CONTRACT §1.3 routes 23–24). */
import { defineProvider } from '../../core/endpoint.ts';

export const dsnj = defineProvider({
  id: 'dsnj',
  name: 'DSNJ',
  scopes: {},
  endpoints: [],
});
