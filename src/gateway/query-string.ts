/**
 * Query-string parsing for the data API. Arrays use the Rack/Rails bracket style of the contract
 * (CONTRACT §1.1): `prenoms[]=A&prenoms[]=B`. A `[]` key is always an array, even with one value; a
 * repeated plain key becomes an array too, which the param schema then rejects as a clear 422.
 * The result inherits nothing, so `__proto__=` or `constructor=` are plain (unknown) params.
 */

/**
 * The results' prototype: an object with no properties and no prototype of its own. A result made by
 * `Object.create(null)` inherits nothing too, but V8 keeps such an object in dictionary mode, which
 * cost twice the parse itself and slowed every read of the params (benchmark profile).
 */
function ParsedQuery(): void {}
ParsedQuery.prototype = Object.freeze(Object.create(null) as object);

export function parseQuery(query: string): Record<string, string | string[]> {
  const out = new (ParsedQuery as unknown as new () => Record<string, string | string[]>)();
  forEachPair(query, out, add);
  return out;
}

function add(out: Record<string, string | string[]>, key: string, value: string): void {
  const existing = out[key];
  if (key.endsWith('[]')) {
    if (Array.isArray(existing)) existing.push(value);
    else out[key] = [value];
  } else if (existing === undefined) {
    out[key] = value;
  } else if (Array.isArray(existing)) {
    existing.push(value);
  } else {
    out[key] = [existing, value];
  }
}

/**
 * The `application/x-www-form-urlencoded` pairs of a query, exactly as `URLSearchParams` yields them
 * (a property test holds the two together), without building a `URLSearchParams` per request: that
 * showed at ~3 % of a call in the benchmark profile. A component without `%` or `+` is used as is;
 * one whose percent-encoding is not valid UTF-8 falls back to `URLSearchParams`' lenient decoding.
 */
export function pairs(query: string): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  forEachPair(query, out, (list, key, value) => list.push([key, value]));
  return out;
}

/** The walk behind both: `each(target, key, value)` per pair, in order (no closure per call). */
function forEachPair<T>(query: string, target: T, each: (target: T, key: string, value: string) => void): void {
  const length = query.length;
  let start = query.charCodeAt(0) === 0x3f /* ? */ ? 1 : 0;
  while (start <= length) {
    let end = query.indexOf('&', start);
    if (end === -1) end = length;
    if (end > start) {
      const eq = query.indexOf('=', start);
      const hasValue = eq !== -1 && eq < end;
      each(target, decode(query.slice(start, hasValue ? eq : end)), hasValue ? decode(query.slice(eq + 1, end)) : '');
    }
    start = end + 1;
  }
}

function decode(component: string): string {
  if (!component.includes('%') && !component.includes('+')) return component;
  try {
    return decodeURIComponent(component.replaceAll('+', ' '));
  } catch {
    return new URLSearchParams(`k=${component}`).get('k') ?? '';
  }
}
