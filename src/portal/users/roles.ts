/**
 * Portal roles (issue 5 item 2). Roles are the portal's own data, not the identity provider's: a
 * signed-in agent is an applicant; the other roles come from configured email lists (and, in the
 * embedded default, from the synthetic agents). docs/adr/0101-portal-sign-in.md.
 */
export const ROLES = ['applicant', 'instructor', 'provider_reviewer', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export const ROLE_LABELS: Record<Role, string> = {
  applicant: 'Demandeur',
  instructor: 'Instructeur',
  provider_reviewer: 'Relecteur fournisseur de données',
  admin: 'Administrateur',
};

export function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value);
}

/** Which emails get which extra role, lower-cased. */
export interface RoleGrants {
  admin: readonly string[];
  instructor: readonly string[];
  provider_reviewer: readonly string[];
}

/** The roles an email is granted by configuration: always `applicant`, plus those listed. */
export function rolesForEmail(email: string, grants: RoleGrants): Role[] {
  const e = email.trim().toLowerCase();
  const roles: Role[] = ['applicant'];
  if (grants.instructor.includes(e)) roles.push('instructor');
  if (grants.provider_reviewer.includes(e)) roles.push('provider_reviewer');
  if (grants.admin.includes(e)) roles.push('admin');
  return roles;
}
