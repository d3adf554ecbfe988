/**
 * HTML of the FranceConnect double (login, consent, errors) and the pieces the demo page shares:
 * a self-contained layout and the "S'identifier avec FranceConnect" button drawn in CSS and an
 * SVG of our own (no official asset is copied). Every dynamic value goes through {@link escapeHtml}.
 */
import type { CastMember } from './cast.ts';

/** Escapes text for HTML content and double-quoted attributes. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);
}

const STYLE = `
  body { font-family: Marianne, Arial, sans-serif; margin: 0; color: #161616; background: #f6f6f6; }
  header { background: #fff; border-bottom: 1px solid #ddd; padding: 1rem 2rem; }
  header strong { color: #000091; }
  main { max-width: 46rem; margin: 2rem auto; background: #fff; padding: 2rem; border: 1px solid #ddd; }
  h1 { font-size: 1.6rem; margin-top: 0; }
  .notice { background: #fff4e5; border-left: 4px solid #b34000; padding: .5rem 1rem; margin-bottom: 1.5rem; }
  ul.people { list-style: none; padding: 0; }
  ul.people li { margin: .4rem 0; }
  button.person, button.primary { background: #000091; color: #fff; border: 0; padding: .6rem 1rem; cursor: pointer; font-size: 1rem; }
  button.person { width: 100%; text-align: left; background: #fff; color: #000091; border: 1px solid #000091; }
  button.secondary { background: #fff; color: #000091; border: 1px solid #000091; padding: .6rem 1rem; cursor: pointer; font-size: 1rem; }
  pre { background: #1e1e1e; color: #e8e8e8; padding: 1rem; overflow: auto; font-size: .85rem; }
  .fc-button { display: inline-flex; align-items: center; gap: .75rem; background: #000091; color: #fff; border: 0;
    padding: .55rem 1.25rem .55rem .75rem; cursor: pointer; text-decoration: none; font-family: inherit; }
  .fc-button:hover { background: #1212ff; }
  .fc-button span { display: flex; flex-direction: column; text-align: left; line-height: 1.2; }
  .fc-button small { font-size: .9rem; }
  .fc-button b { font-size: 1.15rem; }
  .fc-help { display: block; margin-top: .5rem; font-size: .85rem; color: #000091; }
`;

/** A full page in the double's own plain style. */
export function layout(title: string, banner: string, body: string): string {
  return `<!doctype html><html lang="fr"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title><style>${STYLE}</style></head>
<body><header><strong>${escapeHtml(banner)}</strong></header><main>${body}</main></body></html>`;
}

/** Our own emblem for the button: a white shield with a tricolour stroke, not FranceConnect's logo. */
const EMBLEM = `<svg aria-hidden="true" width="36" height="40" viewBox="0 0 36 40" xmlns="http://www.w3.org/2000/svg">
<path d="M18 2 L33 8 V20 C33 29 26 35 18 38 C10 35 3 29 3 20 V8 Z" fill="#fff"/>
<path d="M11 20 l5 5 l9 -11" fill="none" stroke="#000091" stroke-width="3.5" stroke-linecap="round" stroke-linejoin="round"/>
<path d="M7 31 h7" stroke="#e1000f" stroke-width="2"/></svg>`;

/** The "S'identifier avec FranceConnect" button, as a link to the service provider's login route. */
export function franceConnectButton(href: string): string {
  return `<a class="fc-button" id="franceconnect-button" href="${escapeHtml(href)}">${EMBLEM}<span><small>S’identifier avec</small><b>FranceConnect</b></span></a>
<a class="fc-help" href="https://franceconnect.gouv.fr/" rel="noopener">Qu’est-ce que FranceConnect ?</a>`;
}

const BANNER = 'FranceConnect — double de test (personnes fictives)';

/** The identity-provider step: pick one person of the synthetic cast. */
export function loginPage(interaction: string, serviceName: string, cast: readonly CastMember[]): string {
  const people = cast
    .map(
      (p) =>
        `<li><form method="post" action="login"><input type="hidden" name="interaction" value="${escapeHtml(interaction)}">` +
        `<input type="hidden" name="person" value="${escapeHtml(p.id)}">` +
        `<button class="person" type="submit" data-person="${escapeHtml(p.id)}">${escapeHtml(p.label)} — né·e le ${escapeHtml(p.identity.birthdate)}</button></form></li>`,
    )
    .join('');
  return layout(
    'Connexion — FranceConnect (double)',
    BANNER,
    `<h1>Connexion à ${escapeHtml(serviceName)}</h1>
<p class="notice">Ceci est un double de FranceConnect pour les tests : choisissez une personne fictive du bac à sable, aucun mot de passe n’est demandé.</p>
<ul class="people">${people}</ul>`,
  );
}

/** The consent step: what the service provider will receive, with the data scopes asked for. */
export function consentPage(interaction: string, serviceName: string, person: CastMember, scopes: readonly string[]): string {
  const items = scopes.map((s) => `<li><code>${escapeHtml(s)}</code></li>`).join('');
  return layout(
    'Consentement — FranceConnect (double)',
    BANNER,
    `<h1>Vous êtes connecté·e en tant que ${escapeHtml(person.label)}</h1>
<p>${escapeHtml(serviceName)} souhaite accéder à votre identité pivot et aux données suivantes :</p>
<ul id="scopes">${items}</ul>
<form method="post" action="consent"><input type="hidden" name="interaction" value="${escapeHtml(interaction)}">
<button class="primary" type="submit" name="decision" value="accept" id="consent-accept">Continuer sur ${escapeHtml(serviceName)}</button>
<button class="secondary" type="submit" name="decision" value="deny">Annuler</button></form>`,
  );
}

/** An error the double cannot redirect (unknown client, bad redirect_uri, expired interaction). */
export function errorPage(message: string): string {
  return layout('Erreur — FranceConnect (double)', BANNER, `<h1>Erreur</h1><p>${escapeHtml(message)}</p>`);
}
