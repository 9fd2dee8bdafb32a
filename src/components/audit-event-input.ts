// The page size of activity lists: the server prefetches with the same input the client then reads.
export const AUTH_EVENTS_INPUT = { limit: 10 } as const;
