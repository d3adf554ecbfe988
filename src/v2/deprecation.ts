/**
 * How a v2 answer says it is deprecated without breaking anyone (issue 8 §3): the `Deprecation`
 * header (RFC 9745, a structured date), the `Sunset` header (RFC 8594, an HTTP date) and a `Link`
 * to each v3 successor (`rel="successor-version"`) and to the migration guide (`rel="deprecation"`).
 * Dates: docs/adr/0075-v2-deprecation-signals.md.
 */

/** Where the migration guide is served (text/markdown), for the `Link` header. */
export const MIGRATION_GUIDE_PATH = '/api/v2/guide-migration';

export interface DeprecationPolicy {
  /** Since when v2 is deprecated. */
  deprecatedAt: Date;
  /** When v2 routes are planned to stop answering. */
  sunsetAt: Date;
}

/** The default policy: deprecated since v3 became the reference (1 July 2023), sunset at the end of 2027. */
export const DEFAULT_DEPRECATION_POLICY: DeprecationPolicy = {
  deprecatedAt: new Date('2023-07-01T00:00:00Z'),
  sunsetAt: new Date('2027-12-31T23:59:59Z'),
};

/**
 * The three headers for one v2 route.
 * @example
 * deprecationHeaders(['/v3/dss/complementaire_sante_solidaire/identite'], DEFAULT_DEPRECATION_POLICY);
 * // { deprecation: '@1688169600', sunset: 'Fri, 31 Dec 2027 23:59:59 GMT',
 * //   link: '</v3/dss/…/identite>; rel="successor-version", </api/v2/guide-migration>; rel="deprecation"; type="text/markdown"' }
 */
export function deprecationHeaders(successors: readonly string[], policy: DeprecationPolicy): Record<string, string> {
  const links = [...successors.map((s) => `<${s}>; rel="successor-version"`), `<${MIGRATION_GUIDE_PATH}>; rel="deprecation"; type="text/markdown"`];
  return {
    deprecation: `@${Math.floor(policy.deprecatedAt.getTime() / 1000)}`,
    sunset: policy.sunsetAt.toUTCString(),
    link: links.join(', '),
  };
}
