/**
 * The FAQ and the terms of use (CGU), as data (issue 7 item 4): French answers to what the seeds and
 * USERS.md raise (eligibility, token lifetime and prolongation, rate limits, provider outages, data
 * problems, sandbox cases), written for this service. Links are portal paths.
 */

export interface FaqAnswer {
  /** Anchor id. */
  id: string;
  question: string;
  /** Paragraphs; `[texte](/chemin)` links and `code` marks are rendered by the page. */
  answer: string[];
}

export interface FaqTheme {
  id: string;
  title: string;
  questions: FaqAnswer[];
}

export const FAQ: readonly FaqTheme[] = [
  {
    id: 'acces',
    title: 'Accès au service',
    questions: [
      { id: 'qui-est-eligible', question: 'Qui peut utiliser API Particulier ?', answer: [
        'Les administrations et les organismes chargés d’une mission de service public (communes, CCAS, départements, régions, autorités organisatrices de la mobilité, universités, établissements de santé, organismes sociaux…), pour une démarche précise dont le cadre juridique autorise l’accès aux données demandées.',
        'Un éditeur de logiciel ne reçoit pas d’accès en son nom : c’est l’administration cliente qui dépose la demande d’habilitation, et le paramètre `recipient` porte son SIRET. Chaque fournisseur de données se réserve le droit d’évaluer l’éligibilité au regard du cas d’usage.',
        'Le [catalogue](/catalogue) indique, API par API, qui peut l’utiliser ; des modèles de demande pré-remplis existent pour les démarches les plus courantes.',
      ] },
      { id: 'demander-un-acces', question: 'Comment demander un accès ?', answer: [
        'Connectez-vous avec votre compte professionnel (ProConnect), choisissez les API et les données strictement nécessaires à votre démarche, indiquez le cadre juridique et les contacts. La demande est instruite ; une fois validée, un jeton d’accès est délivré à votre organisation.',
      ] },
    ],
  },
  {
    id: 'jetons',
    title: 'Jetons d’accès',
    questions: [
      { id: 'duree-de-vie', question: 'Combien de temps un jeton est-il valable ?', answer: [
        'Dix-huit mois. Les contacts de l’habilitation reçoivent un courriel 90, 60, 30 et 15 jours avant l’expiration ; un jeton expiré est refusé avec le code `00103`.',
      ] },
      { id: 'prolongation', question: 'Comment prolonger un jeton sans interruption de service ?', answer: [
        'Si votre démarche et les données utilisées n’ont pas changé, demandez une prolongation depuis votre espace : elle ne nécessite pas une nouvelle instruction complète et délivre un nouveau jeton pour dix-huit mois.',
        'L’ancien jeton reste valable jusqu’à sa date d’expiration : installez le nouveau, vérifiez-le sur `/api/introspect`, puis laissez l’ancien expirer. Aucune coupure n’est nécessaire.',
      ] },
      { id: 'jeton-divulgue', question: 'Mon jeton a fuité : que faire ?', answer: [
        'Signalez-le sans attendre depuis votre espace ou par le [formulaire de transfert sécurisé](/transfert-securise) : le jeton est révoqué (il répond alors `00105`) et un nouveau vous est délivré. Ne transmettez jamais un jeton par courriel ordinaire.',
      ] },
    ],
  },
  {
    id: 'appels',
    title: 'Appels, limites et erreurs',
    questions: [
      { id: 'limites', question: 'Quelles sont les limites d’appel ?', answer: [
        'Vingt appels par seconde et par jeton (davantage si votre habilitation le prévoit), et un plafond par adresse IP. Les en-têtes `RateLimit-*` de chaque réponse disent où vous en êtes ; au-delà, la réponse est 429 (code `00429`) avec `Retry-After` : attendez ce délai avant de réessayer.',
        'Le détail est sur la page [Développeurs](/developpeurs#limites).',
      ] },
      { id: 'fournisseur-en-panne', question: 'Que faire quand un fournisseur de données est indisponible ?', answer: [
        'La passerelle répond alors une erreur codée (par exemple 502 ou 504) et jamais une réponse vide : affichez à l’usager un message clair et proposez-lui de revenir plus tard ou de fournir un justificatif, sans bloquer sa démarche.',
        'La page [Statut](/statut) donne l’état de chaque fournisseur, aussi disponible en JSON pour vos propres alertes. Inutile de multiplier les essais : les appels répétés ralentissent le retour à la normale.',
      ] },
      { id: 'identifiant-requete', question: 'Que donner au support pour qu’il retrouve mon appel ?', answer: [
        'L’en-tête `X-Request-Id` de la réponse, la route appelée et l’heure. Jamais les données de la personne : l’identifiant suffit à retrouver l’appel dans le journal.',
      ] },
    ],
  },
  {
    id: 'donnees',
    title: 'Données',
    questions: [
      { id: 'signaler-un-probleme', question: 'Comment signaler une donnée erronée ?', answer: [
        'API Particulier transmet les données telles que le fournisseur les détient : une donnée erronée doit être corrigée à la source. Signalez-nous le cas par le [formulaire de transfert sécurisé](/transfert-securise), avec l’identifiant de requête, la route et ce qui vous semble faux : nous le transmettons au fournisseur concerné.',
        'L’usager peut aussi demander la rectification directement à l’organisme qui détient sa donnée (sa caisse, son établissement…).',
      ] },
      { id: 'minimisation', question: 'Pourquoi certains champs manquent-ils dans la réponse ?', answer: [
        'Chaque jeton ne reçoit que les champs des scopes accordés par son habilitation : c’est le principe de minimisation. Le [catalogue des scopes](/developpeurs/scopes) dit quel scope ouvre quel champ, et l’[explorateur](/developpeurs/explorateur) montre ce que le masquage retire.',
      ] },
    ],
  },
  {
    id: 'bac-a-sable',
    title: 'Bac à sable',
    questions: [
      { id: 'tester', question: 'Comment tester sans données réelles ?', answer: [
        'Le bac à sable répond comme la production, masquage compris, avec des personnes fictives. Essayez chaque route dans l’[explorateur](/developpeurs/explorateur) ; les familles fictives et leurs jetons FranceConnect sont décrits dans le [guide des personnes fictives](/developpeurs/guides/personnages-du-bac-a-sable).',
      ] },
      { id: 'ajouter-des-cas', question: 'Comment ajouter mes propres cas de test ?', answer: [
        'Un cas est un petit fichier YAML (paramètres, statut, réponse) rangé dans le dossier de la route. Placez vos fichiers dans un dossier listé par `SANDBOX_DATA_DIRS`, vérifiez-les avec `npx api-particulier sandbox check <dossier>` : ils sont pris en compte sans redémarrage. Vous pouvez aussi proposer vos cas au projet pour qu’ils profitent à tous.',
        'Le [guide du bac à sable](/developpeurs/guides/bac-a-sable) détaille le format.',
      ] },
    ],
  },
  {
    id: 'contact',
    title: 'Rester informé',
    questions: [
      { id: 'infolettre', question: 'Comment être prévenu des nouveautés et des interruptions ?', answer: [
        'Inscrivez-vous à l’[infolettre](/infolettre) : nouvelles API, dépréciations et interruptions programmées, environ une fois par trimestre.',
      ] },
    ],
  },
];

export interface CguSection {
  id: string;
  title: string;
  paragraphs: string[];
}

/** Terms of use of the service, as sections. */
export const CGU: readonly CguSection[] = [
  { id: 'objet', title: '1. Objet', paragraphs: [
    'Les présentes conditions générales d’utilisation encadrent l’accès à API Particulier, service de la direction interministérielle du numérique (DINUM) qui permet aux administrations d’obtenir, avec l’accord du cadre juridique applicable, des données détenues par d’autres administrations sur les particuliers, afin de ne plus leur demander de pièces justificatives (article L114-8 du code des relations entre le public et l’administration).',
  ] },
  { id: 'acces', title: '2. Conditions d’accès', paragraphs: [
    'L’accès est réservé aux administrations et organismes chargés d’une mission de service public, pour une démarche identifiée, après validation d’une demande d’habilitation. L’habilitation précise les données (scopes) accessibles ; seules celles-ci sont transmises.',
    'Le jeton d’accès est personnel à l’organisation habilitée. Elle en assure la confidentialité, le conserve côté serveur et signale sans délai toute compromission.',
  ] },
  { id: 'engagements', title: '3. Engagements de l’utilisateur', paragraphs: [
    'L’utilisateur n’appelle l’API que pour la démarche habilitée, pour des personnes concernées par cette démarche, et renseigne dans chaque appel le SIRET de l’organisation destinataire des données.',
    'Il ne conserve les données reçues que le temps nécessaire à la démarche, informe les usagers de leur récupération auprès de l’administration qui les détient, et respecte le règlement général sur la protection des données.',
    'Il respecte les limites d’appel et n’effectue aucun appel de masse ou de test sur la production : le bac à sable est prévu pour cela.',
  ] },
  { id: 'tracabilite', title: '4. Traçabilité', paragraphs: [
    'Chaque appel est journalisé (organisation, destinataire, route, date, pseudonyme de la personne concernée) afin de permettre les contrôles et de répondre aux demandes des usagers et des délégués à la protection des données.',
  ] },
  { id: 'disponibilite', title: '5. Disponibilité du service', paragraphs: [
    'API Particulier s’efforce d’assurer la continuité du service mais dépend de la disponibilité des fournisseurs de données. L’état du service est publié sur la page Statut ; les interruptions programmées sont annoncées dans l’infolettre.',
  ] },
  { id: 'suspension', title: '6. Suspension et retrait', paragraphs: [
    'En cas d’usage non conforme à l’habilitation ou aux présentes conditions, ou de compromission du jeton, l’accès peut être suspendu ou le jeton révoqué, après information des contacts de l’habilitation sauf urgence.',
  ] },
  { id: 'evolution', title: '7. Évolution des conditions', paragraphs: [
    'Ces conditions peuvent évoluer ; les utilisateurs en sont informés par courriel aux contacts des habilitations et par l’infolettre.',
  ] },
];
