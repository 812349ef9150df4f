export const ROLES = ['customer', 'merchant', 'driver', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** Who is acting: a signed-in user as every module sees them (REST route, socket event or job). */
export interface Actor {
  id: string;
  role: Role;
}
