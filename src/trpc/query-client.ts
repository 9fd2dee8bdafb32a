// One QueryClient factory for the browser and for server rendering, with superjson on both sides of hydration.
import { defaultShouldDehydrateQuery, MutationCache, QueryCache, QueryClient } from "@tanstack/react-query";
import superjson from "superjson";

export function createQueryClient(onError?: (error: Error) => void) {
  return new QueryClient({
    queryCache: new QueryCache({ onError }),
    mutationCache: new MutationCache({ onError }),
    defaultOptions: {
      // Server-rendered data is fresh on arrival: no refetch right after hydration.
      queries: { staleTime: 30_000, retry: (failures, error) => failures < 2 && !isClientError(error) },
      dehydrate: {
        serializeData: superjson.serialize,
        shouldDehydrateQuery: (query) => defaultShouldDehydrateQuery(query) || query.state.status === "pending",
      },
      hydrate: { deserializeData: superjson.deserialize },
    },
  });
}

/** 4xx answers (bad input, signed out, forbidden, conflict) do not get better by retrying. */
function isClientError(error: Error): boolean {
  const status = (error as { data?: { httpStatus?: number } }).data?.httpStatus;
  return status !== undefined && status >= 400 && status < 500;
}
