/**
 * How the gateway asks a provider for data. Sandbox and live differ only in the driver wired for a
 * provider, never by a mode test inside business code (DESIGN §2.6).
 */
import type { EndpointDefinition, QueryParams } from './endpoint.ts';
import type { ErrorBody } from './errors.ts';

export interface ProviderCall {
  endpoint: EndpointDefinition;
  /** Validated params under their wire names; for FranceConnect routes, derived from the identity (CONTRACT §5.2). */
  params: QueryParams;
  requestId: string;
  signal: AbortSignal;
  /**
   * FranceConnect-modality calls only: the citizen's FranceConnect access token, for the upstreams
   * that check it themselves (the DSS "API des prestations" `/fc/` forms, docs/adr/0085-franceconnect-token-to-drivers.md).
   * A credential: redacted from logs (`gateway/logger-options.ts`), never journaled, never part of a
   * cache or lock key — those use the citizen's pairwise `sub`.
   */
  franceConnect?: { accessToken: string };
}

/** A provider's answer: data to mask and send, or an error already in the contract's envelope. */
export type ProviderOutcome =
  | { kind: 'data'; data: unknown; meta: Record<string, unknown> }
  | { kind: 'error'; status: number; body: ErrorBody };

export interface ProviderDriver {
  call(call: ProviderCall): Promise<ProviderOutcome>;
}
