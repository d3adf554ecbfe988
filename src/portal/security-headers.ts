/**
 * Security headers of the portal pages (helmet), registered in the portal's own plugin context so
 * the data API's answers are untouched. The CSP allows only this origin — DSFR's CSS, fonts, icons
 * and module JS are served from here — plus `data:` images (DSFR icons in CSS) and, for forms, the
 * identity provider's origin (a sign-out form is redirected there; Chrome applies `form-action` to
 * redirects). docs/adr/0100-portal-foundation.md.
 */
import type { FastifyHelmetOptions } from '@fastify/helmet';

export function securityHeaders(options: { https: boolean; formActionOrigins: readonly string[] }): FastifyHelmetOptions {
  const self = ["'self'"];
  return {
    global: true,
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        'default-src': self,
        'script-src': self,
        'style-src': self,
        'img-src': [...self, 'data:'],
        'font-src': self,
        'connect-src': self,
        'object-src': ["'none'"],
        'base-uri': self,
        'frame-ancestors': ["'none'"],
        'form-action': [...self, ...options.formActionOrigins],
        // Only over https: on http://127.0.0.1 it would send the browser to a port that does not answer TLS.
        ...(options.https ? { 'upgrade-insecure-requests': [] } : {}),
      },
    },
    hsts: options.https ? { maxAge: 31_536_000, includeSubDomains: true } : false,
    referrerPolicy: { policy: 'same-origin' },
    crossOriginEmbedderPolicy: false,
  };
}
