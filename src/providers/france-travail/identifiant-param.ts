/**
 * The `identifiant` param of both France Travail routes (CONTRACT §1.2 "Other modalities"): the user
 * name the person chose for their France Travail online account. The official file gives no format;
 * it only has to be present and non-empty (docs/adr/0032-identifiant-routes.md).
 */
import { Type } from 'typebox';

export const identifiantParams = Type.Object({
  identifiant: Type.String({
    minLength: 1,
    maxLength: 100,
    description:
      '**Identifiant France Travail** : nom d’utilisateur choisi par le particulier lors de la création de son espace personnel en ligne.',
    examples: ['jean.dupont33'],
  }),
});
