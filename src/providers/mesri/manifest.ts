/** MESR — statut étudiant (CONTRACT §1.3 routes 31–33). */
import { fileURLToPath } from 'node:url';
import { defineProvider } from '../../core/endpoint.ts';
import { statutEtudiantFranceConnect, statutEtudiantIdentite, statutEtudiantIne } from './statut-etudiant.ts';

export const mesri = defineProvider({
  id: 'mesri',
  name: 'MESRI',
  // The union of AUTHZ's v3 scopes and the token scopes (CONTRACT §8.2), except `mesri_identifiant`,
  // which no v3 field matches: docs/adr/0022-mesri-statut-etudiant.md.
  scopes: {
    mesri_identite: { label: 'Identité de l’étudiant (nom de naissance, prénom, date de naissance)' },
    mesri_admissions: { label: 'Admissions : dates de début et de fin de la période d’études' },
    mesri_admission_inscrit: { label: 'Admissions : inscription confirmée ou simple admission' },
    mesri_admission_regime_formation: { label: 'Admissions : régime de formation' },
    mesri_admission_commune_etudes: { label: 'Admissions : commune de l’établissement d’études' },
    mesri_admission_etablissement_etudes: { label: 'Admissions : établissement d’études (UAI et nom)' },
    mesri_inscription: { label: 'Inscriptions : période d’études et inscription confirmée (habilitation v3)' },
    mesri_regime: { label: 'Inscriptions : régime de formation (habilitation v3)' },
    mesri_etablissements: { label: 'Établissements d’études : commune, UAI et nom' },
    mesri_inscription_etudiant: { label: 'Inscriptions d’étudiant : période, inscription et régime (habilitation v2)' },
    mesri_inscription_autre: { label: 'Autres inscriptions : période, inscription et régime (habilitation v2)' },
    mesri_admission: { label: 'Admissions : période, inscription et régime (habilitation v2)' },
  },
  endpoints: [statutEtudiantIdentite, statutEtudiantFranceConnect, statutEtudiantIne],
  sandboxCasesDir: fileURLToPath(new URL('./cases/', import.meta.url)),
});
