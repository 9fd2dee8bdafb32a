// The admin user list's input, from the URL's `q` and `banned`: the server prefetches exactly what the page then reads.
export const USERS_PAGE_SIZE = 20;

export type UserListView = { search: string; banned: boolean };

export function userListInput({ search, banned }: UserListView): { limit: number; search?: string; banned?: boolean } {
  const trimmed = search.trim();
  return { limit: USERS_PAGE_SIZE, ...(trimmed && { search: trimmed }), ...(banned && { banned: true }) };
}

/** The page's URL for a view: /admin/users?q=…&banned=1. */
export function userListHref({ search, banned }: UserListView): string {
  const params = new URLSearchParams();
  if (search.trim()) params.set("q", search.trim());
  if (banned) params.set("banned", "1");
  const query = params.toString();
  return query ? `/admin/users?${query}` : "/admin/users";
}
