/**
 * Every page of issue 5 §3–8 built on the habilitation domain: the applicant's request pages, the
 * token and account pages, the instructor's back office and the vendors' path. One call from the
 * portal plugin. docs/adr/0160-habilitation-pages.md.
 */
import type { FastifyInstance } from 'fastify';
import { registerTokenRoutes } from '../account/token-routes.ts';
import { registerInstructionRoutes } from '../instruction/instruction-routes.ts';
import { registerVendorRoutes } from '../vendors/vendor-routes.ts';
import { registerHabilitationRoutes } from './habilitation-routes.ts';
import type { HabilitationPageDeps } from './portal-actors.ts';

export function registerHabilitationPages(app: FastifyInstance, deps: HabilitationPageDeps): void {
  registerHabilitationRoutes(app, deps);
  registerTokenRoutes(app, deps);
  registerInstructionRoutes(app, deps);
  registerVendorRoutes(app, deps);
}
