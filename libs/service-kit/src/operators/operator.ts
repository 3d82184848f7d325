/** Viewers read; operators also pause, resume and dry-run; admins also change rooms. Ordered weakest first. */
export const ROLES = ['viewer', 'operator', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** Who made a request: the name the audit trail records, and what they may do. */
export interface Operator {
  name: string;
  role: Role;
}

export function roleAllows(held: Role, required: Role): boolean {
  return ROLES.indexOf(held) >= ROLES.indexOf(required);
}
