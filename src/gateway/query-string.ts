/**
 * Query-string parsing for the data API. Arrays use the Rack/Rails bracket style of the contract
 * (CONTRACT §1.1): `prenoms[]=A&prenoms[]=B`. A `[]` key is always an array, even with one value; a
 * repeated plain key becomes an array too, which the param schema then rejects as a clear 422.
 * The result has no prototype, so `__proto__=` or `constructor=` are plain (unknown) params.
 */
export function parseQuery(query: string): Record<string, string | string[]> {
  const out = Object.create(null) as Record<string, string | string[]>;
  for (const [key, value] of new URLSearchParams(query)) {
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
  return out;
}
