/**
 * A habilitation's rate limit as an instructor types it, and as pages show it
 * (docs/adr/0117-habilitation-rate-limit.md): empty means the service default
 * (`RATE_LIMIT_PER_SECOND`), anything else must be a whole number of calls per second within
 * `TOKEN_RATE_LIMIT_BOUNDS` — the one rule the configuration and `tokens create --rate-limit` use.
 */
import { TOKEN_RATE_LIMIT_BOUNDS, isTokenRateLimit } from '../tokens/token-record.ts';

/** The form field's name, on the approval form and on the change form. */
export const RATE_LIMIT_FIELD = 'rateLimitPerSecond';

export type RateLimitInput = { ok: true; value: number | null } | { ok: false; message: string };

const frenchNumber = new Intl.NumberFormat('fr-FR');

/** The message beside the field when the value is not acceptable. */
export const RATE_LIMIT_MESSAGE =
  `Indiquez un nombre entier d’appels par seconde entre ${frenchNumber.format(TOKEN_RATE_LIMIT_BOUNDS.min)} ` +
  `et ${frenchNumber.format(TOKEN_RATE_LIMIT_BOUNDS.max)}, ou laissez le champ vide pour le débit par défaut.`;

/**
 * The typed value: `''` (or no field) → null, the service default.
 * @example
 * parseRateLimitField(' 50 ') // → { ok: true, value: 50 }
 * parseRateLimitField('2.5')  // → { ok: false, message: 'Indiquez un nombre entier…' }
 */
export function parseRateLimitField(raw: unknown): RateLimitInput {
  if (raw === undefined || raw === null) return { ok: true, value: null };
  // A repeated field arrives as an array: refused rather than guessing which one was meant.
  if (typeof raw !== 'string') return { ok: false, message: RATE_LIMIT_MESSAGE };
  const text = raw.trim();
  if (text === '') return { ok: true, value: null };
  // Digits only: Number() would also take '1e3', '0x10' or '2.', which nobody types meaning a limit.
  if (!/^\d{1,6}$/.test(text)) return { ok: false, message: RATE_LIMIT_MESSAGE };
  const value = Number(text);
  return isTokenRateLimit(value) ? { ok: true, value } : { ok: false, message: RATE_LIMIT_MESSAGE };
}

/** A value the service accepts (null: the default); the domain checks again what a page parsed. */
export function isRateLimitSetting(value: unknown): value is number | null {
  return value === null || (typeof value === 'number' && isTokenRateLimit(value));
}

/** The hint under the field: what empty means and the bounds. */
export function rateLimitHint(defaultPerSecond: number): string {
  const { min, max } = TOKEN_RATE_LIMIT_BOUNDS;
  return `Laisser vide pour le débit par défaut de ${frenchNumber.format(defaultPerSecond)} appels/s. Nombre entier, de ${frenchNumber.format(min)} à ${frenchNumber.format(max)}.`;
}

/** « 50 appels/s », or « 20 appels/s (débit par défaut) ». */
export function rateLimitLabel(value: number | null, defaultPerSecond: number): string {
  return value === null ? `${frenchNumber.format(defaultPerSecond)} appels/s (débit par défaut)` : `${frenchNumber.format(value)} appels/s`;
}
