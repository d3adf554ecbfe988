/** France Travail — statut et indemnités des demandeurs d'emploi (CONTRACT §1.3 routes 25–26). */
import { fileURLToPath } from 'node:url';
import { defineProvider } from '../../core/endpoint.ts';
import { indemnitesIdentifiant } from './indemnites.ts';
import { statutIdentifiant } from './statut.ts';

// Scope names keep the former "Pôle emploi" prefix of the official tokens (CONTRACT §3.1).
export const franceTravail = defineProvider({
  id: 'france-travail',
  name: 'France Travail',
  scopes: {
    pole_emploi_identifiant: { label: 'Identifiant France Travail (nom d’utilisateur)' },
    pole_emploi_identite: { label: 'Identité du demandeur d’emploi (civilité, noms, prénom, sexe, date de naissance)' },
    pole_emploi_contact: { label: 'Coordonnées de contact du demandeur d’emploi (téléphones, e-mail)' },
    pole_emploi_adresse: { label: 'Adresse déclarée à France Travail' },
    pole_emploi_inscription: { label: 'Inscription à France Travail (dates, catégorie, certification de l’identité)' },
    pole_emploi_paiements: { label: 'Paiements versés par France Travail (allocations, aides, autres)' },
  },
  endpoints: [statutIdentifiant, indemnitesIdentifiant],
  sandboxCasesDir: fileURLToPath(new URL('./cases/', import.meta.url)),
});
