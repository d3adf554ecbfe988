/**
 * Checks of the forms' fields (issue 7 item 4): each problem is a French sentence shown beside its
 * field, and a form with any problem saves nothing.
 */

/** A reasonable e-mail address (one `@`, a dot in the domain, no spaces), at most 254 characters. */
export function isEmail(value: string): boolean {
  return value.length <= 254 && /^[^\s@<>()[\],;:"]+@[^\s@<>()[\],;:"]+\.[^\s@<>()[\],;:"]{2,}$/.test(value);
}

export type Problems = Record<string, string>;

/** Reads a text field, trimmed; a missing or non-text field reads as empty. */
export function textField(body: unknown, name: string): string {
  const value = typeof body === 'object' && body !== null ? (body as Record<string, unknown>)[name] : undefined;
  return typeof value === 'string' ? value.trim() : '';
}

/** Pushes a problem when a field is empty or too long. */
export function checkText(problems: Problems, name: string, value: string, options: { required: boolean; max: number; label: string }): void {
  if (options.required && value === '') problems[name] = `Renseignez ${options.label}.`;
  else if (value.length > options.max) problems[name] = `${options.label[0]?.toUpperCase() ?? ''}${options.label.slice(1)} ne doit pas dépasser ${options.max} caractères (${value.length} actuellement).`;
}
