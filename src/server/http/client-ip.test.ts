// The client address as the rate limits and the audit log see it: only an IP, only from within the trusted hops.
import { describe, expect, it } from "vitest";
import { CLIENT_IP_HEADER, clientIpFrom, withClientIp } from "@/server/http/client-ip";

const forwardedFor = (value: string) => new Headers({ "x-forwarded-for": value });

describe("clientIpFrom", () => {
  it("takes the entry the trusted hops point at, counted from the right", () => {
    const chain = forwardedFor("198.51.100.1, 203.0.113.5, 192.0.2.9");
    expect(clientIpFrom(chain, 0)).toBe("192.0.2.9");
    expect(clientIpFrom(chain, 1)).toBe("203.0.113.5");
    expect(clientIpFrom(chain, 2)).toBe("198.51.100.1");
  });

  it("skips empty entries, so a trailing comma cannot blank the address", () => {
    expect(clientIpFrom(forwardedFor("203.0.113.5, "), 0)).toBe("203.0.113.5");
  });

  it("gives no address for an entry that is not an IP", () => {
    expect(clientIpFrom(forwardedFor("not-an-ip"), 0)).toBeNull();
    expect(clientIpFrom(forwardedFor("203.0.113.5, evil"), 0)).toBeNull();
  });
});

describe("withClientIp", () => {
  it("drops a client-sent address and sets none when there is no trusted one", () => {
    const headers = withClientIp(new Headers({ [CLIENT_IP_HEADER]: "192.0.2.1" }));
    expect(headers.has(CLIENT_IP_HEADER)).toBe(false);
  });
});
