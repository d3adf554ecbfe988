/** ANTS — extrait d'immatriculation de véhicule (CONTRACT §1.3 route 35). */
import { fileURLToPath } from 'node:url';
import { defineProvider } from '../../core/endpoint.ts';
import { extraitImmatriculationFranceConnect } from './extrait-immatriculation-vehicule.ts';

export const ants = defineProvider({
  id: 'ants',
  name: 'ANTS',
  // CONTRACT §3.1 (default token and FranceConnect scopes), §3.2: one scope per data block.
  scopes: {
    ants_extrait_immatriculation_vehicule_identite_particulier: { label: 'Identité du demandeur du dossier d’immatriculation' },
    ants_extrait_immatriculation_vehicule_adresse_particulier: { label: 'Adresse du demandeur du dossier d’immatriculation' },
    ants_extrait_immatriculation_vehicule_statut_rattachement: { label: 'Statut de rattachement au véhicule (titulaire, cotitulaire, locataire)' },
    ants_extrait_immatriculation_vehicule_donnees_immatriculation_vehicule: { label: 'Données d’immatriculation du véhicule (numéro, première immatriculation, location)' },
    ants_extrait_immatriculation_vehicule_caracteristiques_techniques_vehicule: { label: 'Caractéristiques techniques du véhicule' },
  },
  endpoints: [extraitImmatriculationFranceConnect],
  sandboxCasesDir: fileURLToPath(new URL('./cases/', import.meta.url)),
});
