/** What a token may do: `analyst` starts, cancels and retries runs and analyses; `admin` also manages the server. */
export const ROLES = ["analyst", "admin"] as const;
export type Role = (typeof ROLES)[number];

export function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value);
}

/** True when a token of role `held` may do what needs role `needed` (admin may do everything an analyst may). */
export function roleAllows(held: Role, needed: Role): boolean {
  return ROLES.indexOf(held) >= ROLES.indexOf(needed);
}
