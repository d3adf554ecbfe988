/**
 * Upstream failures → the contract's provider errors (CONTRACT §4.3, issue 4 item 3). Each route
 * answers with the codes its provider declares (`providerErrors` of the route, then of its sibling
 * routes); a code the provider never declared is built from its `PP` prefix and the contract's
 * suffix table. The upstream's own status and message never leave: only the code, the contract's
 * wording, `meta.provider`, and `meta.retry_in` when trying again later makes sense.
 * Choices the issue leaves open: docs/adr/0081-live-failure-codes.md.
 */
import type { ProviderOutcome } from '../core/driver.ts';
import type { EndpointDefinition, ProviderManifest } from '../core/endpoint.ts';
import { defineError, itemOf, type ErrorDefinition } from '../core/errors.ts';
import { gatewayErrors } from '../core/gateway-errors.ts';
import type { UpstreamFailure } from './upstream-client.ts';

/** CONTRACT §4.3 suffixes. */
export type ProviderErrorSuffix = '001' | '002' | '003' | '004' | '008' | '999';

const CONTRACT_WORDING: Record<ProviderErrorSuffix, { status: number; title: string; detail: string }> = {
  '001': { status: 504, title: 'Service non disponible', detail: 'Service du fournisseur de données temporairement indisponible ou en maintenance.' },
  '002': { status: 504, title: 'Intermédiaire hors-délai', detail: 'Temps d’attente d’une réponse du fournisseur de données écoulé.' },
  '003': { status: 404, title: 'Entité non trouvée', detail: "La personne n'a pas été trouvée auprès du fournisseur de données." },
  '004': { status: 504, title: 'Erreur de résolution DNS', detail: "Problème de résolution DNS de l'adresse du serveur" },
  '008': {
    status: 504,
    title: 'Erreur auprès du fournisseur de données : trop de requêtes',
    detail: 'Erreur de fournisseur de donnée : Trop de requêtes effectuées, veuillez réessayer plus tard.',
  },
  '999': {
    status: 502,
    title: 'Erreur inconnue du fournisseur de données',
    detail:
      "La réponse retournée par le fournisseur de données est invalide et inconnue de notre service. L'équipe technique a été notifiée de cette erreur pour investigation.",
  },
};

/** Seconds a caller should wait after a connection or DNS failure (CONTRACT §4.2 `00501`). */
const NETWORK_RETRY_IN_SECONDS = 10;

/** The error answers of one route, resolved once when the driver is built. */
export class RouteErrors {
  readonly #provider: ProviderManifest;
  readonly #byStatus = new Map<ProviderErrorSuffix, ErrorDefinition>();
  readonly #own: readonly ErrorDefinition[];

  constructor(provider: ProviderManifest, endpoint: EndpointDefinition) {
    this.#provider = provider;
    this.#own = endpoint.providerErrors;
    const own = endpoint.providerErrors.filter((e) => !e.code.startsWith('00'));
    const siblings = provider.endpoints.flatMap((e) => e.providerErrors).filter((e) => !e.code.startsWith('00'));
    // The prefix of the route's failure codes (C2S: 404 `40003` from the RNCPS, failures `37…` from the CNAV).
    const failure = (errors: readonly ErrorDefinition[]) => errors.find((e) => /(001|002|999)$/.test(e.code));
    const prefix = (failure(own) ?? failure(siblings) ?? own[0] ?? siblings[0])?.code.slice(0, 2);
    if (prefix === undefined) throw new TypeError(`${endpoint.operationId}: no provider error code to take a prefix from`);
    for (const suffix of Object.keys(CONTRACT_WORDING) as ProviderErrorSuffix[]) {
      const found = own.find((e) => e.code.endsWith(suffix)) ?? siblings.find((e) => e.code.startsWith(prefix) && e.code.endsWith(suffix));
      this.#byStatus.set(suffix, found ?? defineError({ code: `${prefix}${suffix}`, ...CONTRACT_WORDING[suffix] }));
    }
  }

  definition(suffix: ProviderErrorSuffix): ErrorDefinition {
    return this.#byStatus.get(suffix) as ErrorDefinition;
  }

  /** An error answer with `meta.provider` (and `retry_in` when given, in seconds). */
  answer(definition: ErrorDefinition, retryInSeconds?: number, detail?: string): ProviderOutcome {
    const provider = this.#provider.providerNameOfCode?.(definition.code) ?? this.#provider.name;
    const meta: Record<string, unknown> = { provider };
    if (retryInSeconds !== undefined) meta.retry_in = retryInSeconds;
    return { kind: 'error', status: definition.status, body: { errors: [itemOf(definition, { meta, ...(detail ? { detail } : {}) })] } };
  }

  /** The route's 404: the given one when the route declares it (or its own wording of that code), else its first. */
  notFound(wanted?: ErrorDefinition): ProviderOutcome {
    return this.answer((wanted === undefined ? undefined : this.#declared(wanted)) ?? this.definition('003'));
  }

  /** Another error the route declares; PP999 when the route does not declare it. */
  declared(wanted: ErrorDefinition): ProviderOutcome {
    return this.answer(this.#declared(wanted) ?? this.definition('999'));
  }

  #declared(wanted: ErrorDefinition): ErrorDefinition | undefined {
    return this.#own.includes(wanted) ? wanted : this.#own.find((e) => e.code === wanted.code);
  }

  /** The answer to a failed upstream call. */
  failure(failure: UpstreamFailure): ProviderOutcome {
    const retryIn = failure.retryInMs === undefined ? undefined : Math.max(1, Math.ceil(failure.retryInMs / 1000));
    switch (failure.failure) {
      case 'timeout':
        return this.answer(this.definition('002'));
      case 'dns':
        // Like `00501`: the caller can only try again later (docs/adr/0086-dns-failure-end-to-end.md).
        return this.answer(this.definition('004'), NETWORK_RETRY_IN_SECONDS);
      case 'network':
        return this.answer(gatewayErrors.networkError, NETWORK_RETRY_IN_SECONDS);
      case 'throttled':
        return this.answer(this.definition('008'));
      case 'breaker_open':
      case 'saturated':
        return this.answer(this.definition('001'), retryIn ?? 1);
      case 'server':
      case 'malformed':
      case 'rejected':
        return this.answer(this.definition('999'));
    }
  }
}
