/**
 * The v2 error shape (CONTRACT §4.4): `{error, reason, message}`, and the translation of every v3
 * error the shared pipeline can produce into it. v2 callers keep the statuses they know (400 for bad
 * params, 503 for a provider failure, 504 for a provider timeout); the v3 code is kept in `reason`
 * so that support can match a v2 answer with the v3 catalogue (docs/adr/0071-v2-errors.md).
 */
import type { ErrorBody } from '../core/errors.ts';

/** OA2 `components.schemas.Error`. */
export interface V2ErrorBody {
  error: string;
  reason: string;
  message: string;
}

export interface V2ErrorAnswer {
  status: number;
  body: V2ErrorBody;
}

/** CONTRACT §2: the legacy v2 401 body, word for word. */
export const V2_ACCESS_DENIED: V2ErrorAnswer = {
  status: 401,
  body: {
    error: 'access_denied',
    reason: 'Token not found or inactive',
    message: "Votre jeton d'API n'a pas été trouvé ou n'est pas actif",
  },
};

/** A v2 400 listing the faulty params (v2 names), never their values. */
export function v2BadRequest(problems: ReadonlyArray<{ parameter: string; detail: string }>): V2ErrorAnswer {
  const names = [...new Set(problems.map((p) => p.parameter))];
  return {
    status: 400,
    body: {
      error: 'bad_request',
      reason: `Paramètre(s) invalide(s) : ${names.join(', ')}`,
      message: problems.map((p) => p.detail).join(' ; '),
    },
  };
}

/** The 410 of the retired DGFIP routes (issue 8 §2). */
export const V2_DGFIP_GONE: V2ErrorAnswer = {
  status: 410,
  body: {
    error: 'gone',
    reason: 'Les données de la DGFIP ne sont plus distribuées par API Particulier depuis le 30/06/2023',
    message:
      "Cette route est retirée : les données fiscales (avis d'imposition) sont désormais servies par l'API Impôt Particulier de la DGFIP (https://api.gouv.fr/les-api/impot-particulier).",
  },
};

function firstItem(body: unknown): { code: string; title: string; detail: string } | undefined {
  const item = (body as Partial<ErrorBody> | undefined)?.errors?.[0];
  if (item === undefined || typeof item !== 'object') return undefined;
  return { code: String(item.code ?? ''), title: String(item.title ?? ''), detail: String(item.detail ?? '') };
}

/**
 * Translates a v3 error answer (status + `{errors:[…]}`) into the v2 shape and status.
 * - 401 → the legacy `access_denied` body (expired, revoked or unknown: v2 never told them apart);
 * - 403 → `access_denied` with the v3 detail, which points to `/api/introspect`;
 * - 404 → `not_found`; 409 → `conflict`; 429 → `too_many_requests`;
 * - provider `PP002` (timeout) → 504 `timeout_error`; `00501` → 503 `network_error`;
 *   other provider failures (502, 504) → 503 `data_provider_error` (the v2 "Erreur du fournisseur");
 * - 503 (journal) → 503 `error`; anything else ≥ 500 → 500 `error`.
 * @example
 * toV2Error(404, { errors: [{ code: '37003', title: 'Dossier absent', detail: '…', source: null, meta: {} }] });
 * // { status: 404, body: { error: 'not_found', reason: '37003 Dossier absent', message: '…' } }
 */
export function toV2Error(status: number, body: unknown): V2ErrorAnswer {
  const item = firstItem(body);
  if (status === 401) return V2_ACCESS_DENIED;
  const reason = item === undefined ? 'Erreur' : `${item.code} ${item.title}`.trim();
  const message = item?.detail ?? '';
  const shaped = (s: number, error: string): V2ErrorAnswer => ({ status: s, body: { error, reason, message } });
  if (status === 400 || status === 422) return shaped(400, 'bad_request');
  if (status === 403) return shaped(403, 'access_denied');
  if (status === 404) return shaped(404, 'not_found');
  if (status === 409) return shaped(409, 'conflict');
  if (status === 429) return shaped(429, 'too_many_requests');
  if (item?.code === '00501') return shaped(503, 'network_error');
  if (status === 504 && item?.code.endsWith('002')) return shaped(504, 'timeout_error');
  if (status === 502 || status === 504) return shaped(503, 'data_provider_error');
  if (status === 503) return shaped(503, 'error');
  return shaped(status >= 500 ? 500 : status, 'error');
}

/** Whether a body is in the v2 shape (tests and the sandbox overlay's checks). */
export function isV2ErrorBody(body: unknown): body is V2ErrorBody {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return false;
  const b = body as Record<string, unknown>;
  return typeof b.error === 'string' && typeof b.reason === 'string' && typeof b.message === 'string';
}
