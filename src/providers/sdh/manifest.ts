/** Ministère des Sports — sportifs de haut niveau (CONTRACT §1.3 route 34). */
import { fileURLToPath } from 'node:url';
import { defineProvider } from '../../core/endpoint.ts';
import { statutSportifIdentifiant } from './statut-sportif.ts';

export const sdh = defineProvider({
  id: 'sdh',
  name: 'SDH',
  scopes: {
    sdh_statut_sportif_identite: { label: 'Identité du sportif (noms, prénoms, date de naissance, sexe)' },
    sdh_statut_sportif_est_sportif_de_haut_niveau: { label: 'Est actuellement sportif de haut niveau' },
    sdh_statut_sportif_a_ete_sportif_de_haut_niveau: { label: 'A été sportif de haut niveau' },
    sdh_statut_sportif_informations_statut: { label: 'Statut sportif actuel (période, fédération, établissement, région, catégorie)' },
    sdh_statut_sportif_informations_statuts_precedents: { label: 'Historique des statuts sportifs précédents' },
  },
  endpoints: [statutSportifIdentifiant],
  sandboxCasesDir: fileURLToPath(new URL('./cases/', import.meta.url)),
});
