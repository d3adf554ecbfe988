/**
 * The embedded identity provider's login page: pick one synthetic agent. Plain HTML form, no
 * JavaScript; DSFR styles served by the provider itself. Every value is escaped.
 */
import type { SyntheticAgent } from './synthetic-agents.ts';

const ROLE_LABELS: Record<SyntheticAgent['role'], string> = {
  applicant: 'Demandeur',
  instructor: 'Instructeur',
  provider_reviewer: 'Relecteur fournisseur',
  admin: 'Administrateur',
};

/** Escapes text for HTML content and attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** The page listing the agents; `hidden` carries the authorization request through the POST. */
export function loginPage(agents: readonly SyntheticAgent[], hidden: Record<string, string>): string {
  const fields = Object.entries(hidden)
    .map(([name, value]) => `<input type="hidden" name="${escapeHtml(name)}" value="${escapeHtml(value)}">`)
    .join('\n');
  const choices = agents
    .map(
      (agent, i) => `<div class="fr-fieldset__element"><div class="fr-radio-group fr-radio-rich">
  <input type="radio" id="agent-${i}" name="agent" value="${escapeHtml(agent.sub)}"${i === 0 ? ' checked' : ''}>
  <label class="fr-label" for="agent-${i}">${escapeHtml(agent.given_name)} ${escapeHtml(agent.usual_name)} — ${ROLE_LABELS[agent.role]}
    <span class="fr-hint-text">${escapeHtml(agent.organisation)} · ${escapeHtml(agent.email)} · SIRET ${escapeHtml(agent.siret)}<br>${escapeHtml(agent.description)}</span>
  </label>
</div></div>`,
    )
    .join('\n');
  return `<!doctype html>
<html lang="fr">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Connexion — fournisseur d’identité local (démonstration)</title>
<link rel="stylesheet" href="/dsfr/dsfr.min.css"></head>
<body><main class="fr-container fr-my-6w" id="contenu">
<h1>Fournisseur d’identité local</h1>
<div class="fr-alert fr-alert--info fr-mb-4w"><p>Ce fournisseur d’identité de démonstration remplace ProConnect en local. Les agents ci-dessous sont fictifs.</p></div>
<form method="post" action="/authorize">
${fields}
<fieldset class="fr-fieldset"><legend class="fr-fieldset__legend">Se connecter en tant que</legend>
${choices}
</fieldset>
<button class="fr-btn" type="submit">Se connecter</button>
</form></main></body></html>`;
}
