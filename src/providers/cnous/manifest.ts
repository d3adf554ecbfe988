/** Cnous — bourses sur critères sociaux (CONTRACT §1.3 routes 17–22). */
import { fileURLToPath } from 'node:url';
import { defineProvider } from '../../core/endpoint.ts';
import { cnousEndpoints } from './etudiant-boursier.ts';

export const cnous = defineProvider({
  id: 'cnous',
  name: 'CNOUS',
  // Labels follow CONTRACT §3.2's proposed v3 mapping (docs/adr/0020-cnous-scopes-and-masking.md).
  scopes: {
    cnous_statut_boursier: { label: 'Statut boursier de l’étudiant (et radiation éventuelle, v4)' },
    cnous_echelon_bourse: { label: 'Échelon de la bourse' },
    cnous_statut_bourse: { label: 'Caractère provisoire de l’échelon (bourses régionales)' },
    cnous_email: { label: 'Adresse électronique de l’étudiant' },
    cnous_periode_versement: { label: 'Période de versement de la bourse (date de rentrée, durée)' },
    cnous_ville_etudes: { label: 'Établissement et commune d’études' },
    cnous_identite: { label: 'Identité de l’étudiant boursier (nom, prénoms, naissance, sexe)' },
  },
  endpoints: cnousEndpoints,
  sandboxCasesDir: fileURLToPath(new URL('./cases/', import.meta.url)),
});
