/**
 * Reading HTML form values: every field arrives as a string, a list of strings or nothing. These
 * helpers turn them into trimmed values without ever throwing, so bad input becomes a field message.
 */

export type FieldErrors = Record<string, string>;

export type Validation<T> = { ok: true; value: T } | { ok: false; errors: FieldErrors };

export type FormInput = Record<string, unknown>;

/** A trimmed string; '' when absent or not a string. */
export function text(input: FormInput, field: string): string {
  const value = input[field];
  if (typeof value === 'string') return value.trim();
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return '';
}

/** Checkbox groups send one string or several; text areas send one string split on blanks and commas. */
export function list(input: FormInput, field: string, options: { split?: boolean } = {}): string[] {
  const value = input[field];
  const raw = Array.isArray(value) ? value : value === undefined || value === null ? [] : [value];
  const strings = raw.filter((v): v is string => typeof v === 'string');
  const parts = options.split ? strings.flatMap((s) => s.split(/[\s,;]+/)) : strings;
  return [...new Set(parts.map((s) => s.trim()).filter((s) => s !== ''))];
}

const EMAIL = /^[^\s@<>()[\]\\,;:"]+@[^\s@<>()[\]\\,;:"]+\.[^\s@<>()[\]\\,;:"]{2,}$/;

export function isEmail(value: string): boolean {
  return value.length <= 254 && EMAIL.test(value);
}

/** Checks a required text of bounded length; records the message under `field` when wrong. */
export function requireText(errors: FieldErrors, field: string, value: string, label: string, bounds: { min?: number; max: number }): void {
  if (value === '') errors[field] = `${label} est obligatoire.`;
  else if (bounds.min !== undefined && value.length < bounds.min) errors[field] = `${label} doit compter au moins ${bounds.min} caractères.`;
  else if (value.length > bounds.max) errors[field] = `${label} ne doit pas dépasser ${bounds.max} caractères.`;
}

/** Prefixes every field of a step's errors with the step name (`siret` → `organisation.siret`). */
export function prefixed(step: string, errors: FieldErrors): FieldErrors {
  return Object.fromEntries(Object.entries(errors).map(([field, message]) => [`${step}.${field}`, message]));
}
