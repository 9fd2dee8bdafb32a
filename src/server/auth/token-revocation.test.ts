// The deny list on its own: a channel the test drives and a clock it moves, the database's answer a spy.
import { describe, expect, it, vi } from "vitest";
import {
  type ChannelHandlers,
  createTokenRevocation,
  decodeEvent,
  encodeEvent,
  type RevocationChannel,
} from "@/server/auth/token-revocation";

const LIFETIME = 600;

function setUp({ live = true } = {}) {
  let time = 1_000_000_000_000;
  let handlers: ChannelHandlers | undefined;
  const published: unknown[] = [];
  const channel: RevocationChannel = {
    name: "test",
    start: (given) => {
      handlers = given;
      given.up();
    },
    publish: async (event) => void published.push(event),
    stop: async () => undefined,
  };
  const sessionIsLive = vi.fn(async (_sid: string) => live);
  const list = createTokenRevocation({ channel, sessionIsLive, tokenLifetimeSeconds: LIFETIME, now: () => time });
  list.start();
  const seconds = () => Math.floor(time / 1000);
  return {
    list,
    sessionIsLive,
    published,
    channel: () => handlers!,
    advance: (ms: number) => void (time += ms),
    /** A token minted `ago` seconds before now. */
    token: (sid: string, sub = `user-of-${sid}`, ago = 0) => ({
      sid,
      sub,
      iat: seconds() - ago,
      exp: seconds() - ago + LIFETIME,
    }),
  };
}

describe("the deny list", () => {
  it("refuses a revoked session's tokens and answers others from memory", async () => {
    const { list, sessionIsLive, published, token, advance } = setUp();
    advance(1000);
    await list.revoke({ sid: "s1" });
    expect(list.allows(token("s1"))).toBe(false);
    expect(list.allows(token("s2"))).toBe(true);
    expect(sessionIsLive).not.toHaveBeenCalled();
    expect(published).toEqual([{ sid: "s1" }]);
  });

  it("refuses a user's tokens issued up to the revocation, not those issued after", async () => {
    const { list, token, advance } = setUp();
    advance(5000);
    const before = token("s1", "u1");
    await list.revoke({ sub: "u1", at: before.iat });
    advance(1000);
    expect(list.allows(before)).toBe(false);
    expect(list.allows(token("s2", "u1"))).toBe(true);
    expect(list.allows(token("s3", "u2", 1))).toBe(true);
  });

  it("applies events from other instances", () => {
    const { list, channel, token, advance } = setUp();
    advance(1000);
    channel().deliver({ sid: "remote" });
    expect(list.allows(token("remote"))).toBe(false);
  });

  it("remembers a revocation for the tokens' lifetime (and a margin), then forgets it", async () => {
    const { list, token, advance } = setUp();
    advance(1000);
    await list.revoke({ sid: "s1" });
    advance((LIFETIME + 59) * 1000);
    expect(list.allows(token("s1", "u", LIFETIME + 59))).toBe(false);
    advance(2 * 60_000);
    list.allows(token("other"));
    expect(list.state().sessions).toBe(0);
  });
});

describe("while the channel is down", () => {
  it("every JWT call checks its session in the database, and a revoked one is refused", async () => {
    const { list, channel, sessionIsLive, token, advance } = setUp({ live: false });
    advance(1000);
    channel().down("test");
    const missed = token("missed");
    expect(await list.allows(missed)).toBe(false);
    expect(sessionIsLive).toHaveBeenCalledWith("missed");
    // Refused from memory from then on.
    expect(list.allows(missed)).toBe(false);
    expect(sessionIsLive).toHaveBeenCalledTimes(1);
  });

  it("a live session is checked again on every call (nothing is remembered while events may be missed)", async () => {
    const { list, channel, sessionIsLive, token, advance } = setUp();
    advance(1000);
    channel().down("test");
    const live = token("live");
    for (let i = 0; i < 3; i++) expect(await list.allows(live)).toBe(true);
    expect(sessionIsLive).toHaveBeenCalledTimes(3);
  });
});

describe("when the channel is back", () => {
  it("tokens minted before it came back are checked once each, then answered from memory", async () => {
    const { list, channel, sessionIsLive, token, advance } = setUp();
    advance(1000);
    const old = token("old");
    channel().down("test");
    advance(2000);
    channel().up();
    expect(await list.allows(old)).toBe(true);
    expect(list.allows(old)).toBe(true);
    expect(sessionIsLive).toHaveBeenCalledTimes(1);
    // Minted since: no check at all.
    advance(1000);
    expect(list.allows(token("new"))).toBe(true);
    expect(sessionIsLive).toHaveBeenCalledTimes(1);
  });

  it("a check that began before the channel went down and up again is not remembered", async () => {
    const { list, channel, sessionIsLive, token, advance } = setUp();
    advance(1000);
    const old = token("old", "u", 10);
    let finish: (live: boolean) => void = () => undefined;
    sessionIsLive.mockImplementationOnce(() => new Promise((resolve) => (finish = resolve)));
    const pending = list.allows(old);
    channel().down("test");
    advance(100);
    channel().up();
    finish(true);
    expect(await pending).toBe(true);
    expect(await list.allows(old)).toBe(true);
    expect(sessionIsLive).toHaveBeenCalledTimes(2);
  });

  it("a revocation arriving after the check still refuses the session", async () => {
    const { list, channel, token, advance } = setUp();
    advance(1000);
    const old = token("old", "u", 10);
    expect(await list.allows(old)).toBe(true);
    channel().deliver({ sid: "old" });
    expect(list.allows(old)).toBe(false);
  });
});

describe("events on the wire", () => {
  it("round-trip, and anything else is ignored", () => {
    expect(decodeEvent(encodeEvent({ sid: "s" }))).toEqual({ sid: "s" });
    expect(decodeEvent(encodeEvent({ sub: "u", at: 12 }))).toEqual({ sub: "u", at: 12 });
    for (const payload of ["", "{", "null", "[]", '{"sid":""}', '{"sub":"u"}', '{"sub":"u","at":"1"}'])
      expect(decodeEvent(payload), payload).toBeNull();
  });
});
