// What the log writes for an API path: the route it matched, with parameter names for the values; anything else,
// the endpoint and a placeholder. A token in a path never reaches the log.
import { describe, expect, it } from "vitest";
import { trpcRouteOf } from "@/server/api/http-handler";
import { authRouteOf } from "@/server/auth/http-handler";
import { routeTemplates, UNMATCHED_ROUTE } from "@/server/http/route-template";

const TOKEN = "2hi1unOBbMgZE31wqr1NIgMu";

describe("routeTemplates", () => {
  const routeOf = routeTemplates("/api/x", ["/plain", "/items/:id", "/items/:id/edit"]);

  it("names a matched route by its template", () => {
    expect(routeOf("/api/x/plain")).toBe("/api/x/plain");
    expect(routeOf(`/api/x/items/${TOKEN}`)).toBe("/api/x/items/:id");
    expect(routeOf(`/api/x//items/${TOKEN}/edit/`)).toBe("/api/x/items/:id/edit");
  });

  it("writes any other path below the endpoint as the endpoint and a placeholder", () => {
    for (const path of [
      `/api/x/${TOKEN}`,
      `/api/x/items/${TOKEN}/more`,
      `/api/x/plain/${TOKEN}`,
      "/api/x",
      `/elsewhere/${TOKEN}`,
    ]) {
      expect(routeOf(path)).toBe(`/api/x/${UNMATCHED_ROUTE}`);
    }
  });
});

describe("the API's routes", () => {
  it("Better Auth's: the reset link's token is a parameter, never logged", () => {
    expect(authRouteOf(`/api/auth/reset-password/${TOKEN}`)).toBe("/api/auth/reset-password/:token");
    expect(authRouteOf("/api/auth/sign-in/email")).toBe("/api/auth/sign-in/email");
    expect(authRouteOf(`/api/auth/reset-password/${TOKEN}/x`)).toBe(`/api/auth/${UNMATCHED_ROUTE}`);
    expect(authRouteOf(`/api/auth/${TOKEN}`)).toBe(`/api/auth/${UNMATCHED_ROUTE}`);
  });

  it("tRPC's: a path is written when it names only procedures that exist", () => {
    expect(trpcRouteOf("/api/trpc/user.me")).toBe("/api/trpc/user.me");
    expect(trpcRouteOf("/api/trpc/user.me,task.list")).toBe("/api/trpc/user.me,task.list");
    expect(trpcRouteOf(`/api/trpc/user.me,${TOKEN}`)).toBe(`/api/trpc/${UNMATCHED_ROUTE}`);
    expect(trpcRouteOf("/api/trpc/")).toBe(`/api/trpc/${UNMATCHED_ROUTE}`);
  });
});
