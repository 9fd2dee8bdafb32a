// The admin user list's input, from the URL's `q`: the server prefetches exactly what the page then reads.
export const USERS_PAGE_SIZE = 20;

export function userListInput(search: string | undefined): { limit: number; search?: string } {
  const trimmed = search?.trim();
  return trimmed ? { limit: USERS_PAGE_SIZE, search: trimmed } : { limit: USERS_PAGE_SIZE };
}
