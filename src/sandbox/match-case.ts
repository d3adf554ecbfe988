/**
 * Which sandbox case answers a request (CONTRACT §6, "Matching"). The official matcher is not
 * public; these rules are the contract's reading of the case files:
 *
 * - a case matches when **every** key of its `params` has an equal value in the request; extra
 *   request params are ignored, and `recipient` is never a match key (it is in no case file, but
 *   every v3 call carries it);
 * - names are compared without a trailing `[]`: the query says `prenoms[]=…`, the YAML `prenoms:`;
 * - values are compared type-insensitively (YAML `2002`, query `'2002'`, coerced `2002` are equal;
 *   numeric text is compared as a number, so an unquoted YAML `08480` — the number 8480 — still
 *   matches `'08480'`); case and accents count;
 * - arrays are equal element-wise, in order, with the same length; a scalar equals a one-element
 *   array;
 * - a `null` case value matches a request without that param (or with it empty);
 * - the most specific case (most keys) wins; ties go to the first in load order; a case with params
 *   identical to an earlier one's **replaces** it in place, which is how a later sandbox directory
 *   overrides a shipped case (see `load-cases.ts`);
 * - a case with empty `params` matches anything, with the lowest priority.
 *
 * Everything about the cases is normalised once by {@link compileCases}; a match normalises only
 * the request, then scans the cases from the most specific down and stops at the first hit.
 */
import type { SandboxCase } from './case-file.ts';

/** One normalised scalar: its text, and its numeric value when the text is a plain number. */
interface Token {
  text: string;
  number: number | undefined;
}

/** A normalised value: scalars are one-token lists; `null` means "absent or empty". */
type Normalised = Token[] | null;

interface CompiledCase {
  source: SandboxCase;
  entries: Array<[name: string, value: Normalised]>;
}

/** Matches requests against a fixed list of cases, normalised once. */
export interface CaseMatcher {
  /** How many cases the list had (shadowed ones included). */
  readonly size: number;
  /** The case that answers these request params, or `undefined` (→ the route's generic example). */
  match(params: Record<string, unknown>): SandboxCase | undefined;
}

const NUMERIC = /^[-+]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)$/;
const IGNORED = 'recipient';

function bareName(name: string): string {
  return name.endsWith('[]') ? name.slice(0, -2) : name;
}

function tokenOf(value: unknown): Token {
  let text: string;
  if (typeof value === 'string') text = value;
  else if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') text = String(value);
  else text = JSON.stringify(value) ?? '';
  const trimmed = text.trim();
  return { text, number: NUMERIC.test(trimmed) ? Number(trimmed) : undefined };
}

function normalise(value: unknown): Normalised {
  if (value === null || value === undefined) return null;
  if (Array.isArray(value)) return value.map(tokenOf);
  return [tokenOf(value)];
}

function tokensEqual(a: Token, b: Token): boolean {
  return a.number !== undefined && b.number !== undefined ? a.number === b.number : a.text === b.text;
}

function valueMatches(expected: Normalised, actual: Normalised): boolean {
  if (expected === null) return actual === null || actual.every((t) => t.text === '');
  if (actual === null || actual.length !== expected.length) return false;
  for (let i = 0; i < expected.length; i += 1) {
    if (!tokensEqual(expected[i] as Token, actual[i] as Token)) return false;
  }
  return true;
}

/** Request params under bare names; on a clash (`prenoms` and `prenoms[]`) the bracketed one wins. */
function normaliseRequest(params: Record<string, unknown>): Map<string, Normalised> {
  const out = new Map<string, Normalised>();
  for (const name of Object.keys(params)) {
    const bare = bareName(name);
    if (bare === IGNORED || (out.has(bare) && !name.endsWith('[]'))) continue;
    out.set(bare, normalise(params[name]));
  }
  return out;
}

function entriesOf(params: Record<string, unknown>): Array<[string, Normalised]> {
  const entries = new Map<string, Normalised>();
  for (const name of Object.keys(params)) {
    const bare = bareName(name);
    if (bare !== IGNORED) entries.set(bare, normalise(params[name]));
  }
  return [...entries];
}

function keyOfEntries(entries: Array<[string, Normalised]>): string {
  const canonical = entries
    .map(([name, value]): [string, unknown] => [name, value?.map((t) => (t.number !== undefined ? t.number : t.text)) ?? null])
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return JSON.stringify(canonical);
}

/**
 * A canonical text for a case's params: two cases have the same key exactly when they match the
 * same requests (same bare names, type-insensitively equal values). Used to detect duplicates.
 * @example
 * paramsKey({ 'prenoms[]': ['A'], annee: 2002 }) === paramsKey({ annee: '2002', prenoms: 'A' }); // true
 */
export function paramsKey(params: Record<string, unknown>): string {
  return keyOfEntries(entriesOf(params));
}

/**
 * Normalises a list of cases once, for many matches. The list is read as given (load order).
 * @example
 * const matcher = compileCases(report.cases.get(operationId) ?? []);
 * const found = matcher.match({ recipient: '13002526500013', nomNaissance: 'LEROY', 'prenoms[]': ['Camille'] });
 * found?.status; // 200
 */
export function compileCases(cases: readonly SandboxCase[]): CaseMatcher {
  const ordered: CompiledCase[] = [];
  const slotOfKey = new Map<string, number>();
  for (const source of cases) {
    const entries = entriesOf(source.params);
    const key = keyOfEntries(entries);
    const slot = slotOfKey.get(key);
    if (slot === undefined) {
      slotOfKey.set(key, ordered.length);
      ordered.push({ source, entries });
    } else {
      ordered[slot] = { source, entries };
    }
  }
  // Stable sort: most keys first, load order among equals.
  ordered.sort((a, b) => b.entries.length - a.entries.length);
  return {
    size: cases.length,
    match(params) {
      const request = normaliseRequest(params);
      for (const candidate of ordered) {
        let ok = true;
        for (const [name, expected] of candidate.entries) {
          const actual = request.get(name);
          if (!valueMatches(expected, actual === undefined ? null : actual)) {
            ok = false;
            break;
          }
        }
        if (ok) return candidate.source;
      }
      return undefined;
    },
  };
}

const compiled = new WeakMap<readonly SandboxCase[], CaseMatcher>();

/**
 * Finds the case answering a request among one route's cases (CONTRACT §6). The list is compiled
 * on first use and the compiled form is kept for that array, so calling this on every sandbox
 * request does no normalisation of the cases; treat the array as immutable (a length change is
 * detected and recompiled, an in-place edit is not).
 * @example
 * const found = matchCase(report.cases.get('api_particulier_v3_cnav_complementaire_sante_solidaire_with_civility') ?? [], {
 *   nomNaissance: 'LEROY', 'prenoms[]': ['Camille', 'Anne'], anneeDateNaissance: '1988', sexeEtatCivil: 'F',
 *   codeCogInseePaysNaissance: '99100', codeCogInseeCommuneNaissance: '69123', recipient: '13002526500013',
 * });
 * found?.status; // 200, or undefined: answer the route's generic example
 */
export function matchCase(cases: readonly SandboxCase[], params: Record<string, unknown>): SandboxCase | undefined {
  if (cases.length === 0) return undefined;
  let matcher = compiled.get(cases);
  if (matcher === undefined || matcher.size !== cases.length) {
    matcher = compileCases(cases);
    compiled.set(cases, matcher);
  }
  return matcher.match(params);
}
