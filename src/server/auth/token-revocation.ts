// Access tokens (JWTs) refused within a second of their session's end, on every instance, with no I/O per request:
// each instance keeps an in-memory deny list of revoked sessions (`sid`) and users (`sub`) until the tokens they
// could have signed expire, fed by a channel every instance listens on (revocation-channels.ts). While an instance's
// channel is down it may miss events, so it checks the session in the database for each JWT call instead; once the
// channel is back, tokens minted before that moment are checked once more (one read per session), after which
// anything revoked reaches it through the channel again.
import { z } from "zod";

/** A session ended (sign-out, revoke, password change, ban…), or everything a user held (account deletion). */
export type RevocationEvent = { sid: string } | { sub: string; at: number };

const eventSchema = z.union([
  z.object({ sid: z.string().min(1) }),
  z.object({ sub: z.string().min(1), at: z.number().int() }),
]);

export function encodeEvent(event: RevocationEvent): string {
  return JSON.stringify(event);
}

export function decodeEvent(payload: string): RevocationEvent | null {
  try {
    const parsed = eventSchema.safeParse(JSON.parse(payload));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/** What a channel tells the deny list: events, and whether it can be relied on to deliver them. */
export type ChannelHandlers = {
  deliver(event: RevocationEvent): void;
  /** Listening (again): events published from now on arrive. */
  up(): void;
  /** Not listening: events may be missed until the next `up`. */
  down(reason: string): void;
};

export type RevocationChannel = {
  readonly name: string;
  start(handlers: ChannelHandlers): void;
  /** Sends an event to every instance (this one has applied it already). */
  publish(event: RevocationEvent): Promise<void>;
  stop(): Promise<void>;
};

/** The claims the deny list reads. */
export type RevocableToken = { sid: string; sub: string; iat: number; exp: number };

type Options = {
  channel: RevocationChannel;
  /** Whether the session still exists (not signed out, revoked or expired): the database's answer. */
  sessionIsLive: (sid: string) => Promise<boolean>;
  /** The longest an access token lives: how long a revocation must be remembered. */
  tokenLifetimeSeconds: number;
  /** Clock skew allowed on top of the lifetime. */
  marginSeconds?: number;
  /** Sessions checked once after the channel came back that are remembered (the oldest go first). */
  checkedSessionsMax?: number;
  onDown?: (reason: string) => void;
  onUp?: () => void;
  now?: () => number;
};

export function createTokenRevocation({
  channel,
  sessionIsLive,
  tokenLifetimeSeconds,
  marginSeconds = 60,
  checkedSessionsMax = 100_000,
  onDown,
  onUp,
  now = Date.now,
}: Options) {
  const rememberMs = (tokenLifetimeSeconds + marginSeconds) * 1000;
  /** Revoked session id → when its last token has expired for sure. */
  const sessions = new Map<string, number>();
  /** User id → tokens issued at or before `at` (seconds) are refused, until `until`. */
  const users = new Map<string, { at: number; until: number }>();
  /** Session id → when it was found live in the database while the channel was up (since `upSince`). */
  const checked = new Map<string, number>();
  /** Since when the channel has been listening; null while it is down (and before it first comes up). */
  let upSince: number | null = null;
  let started = false;
  let sweptAt = now();

  function apply(event: RevocationEvent): void {
    const until = now() + rememberMs;
    if ("sid" in event) {
      sessions.set(event.sid, until);
      checked.delete(event.sid);
    } else {
      const previous = users.get(event.sub);
      users.set(event.sub, { at: Math.max(event.at, previous?.at ?? 0), until });
    }
  }

  function sweep(): void {
    const time = now();
    if (time - sweptAt < 60_000) return;
    sweptAt = time;
    for (const [sid, until] of sessions) if (until <= time) sessions.delete(sid);
    for (const [sub, entry] of users) if (entry.until <= time) users.delete(sub);
    for (const [sid, at] of checked)
      if (at + rememberMs <= time || (upSince !== null && at < upSince)) checked.delete(sid);
  }

  function start(): void {
    if (started) return;
    started = true;
    channel.start({
      deliver: apply,
      up() {
        upSince = now();
        checked.clear();
        onUp?.();
      },
      down(reason) {
        if (upSince === null) return;
        upSince = null;
        checked.clear();
        onDown?.(reason);
      },
    });
  }

  function denied(token: RevocableToken): boolean {
    if (sessions.has(token.sid)) return true;
    const user = users.get(token.sub);
    return user !== undefined && token.iat <= user.at;
  }

  async function checkInDatabase(token: RevocableToken): Promise<boolean> {
    const since = upSince;
    const startedAt = now();
    const live = await sessionIsLive(token.sid);
    if (!live) {
      apply({ sid: token.sid });
      return false;
    }
    // Remembered only if the channel was up before the read and stayed up: then any later revocation arrives.
    if (since !== null && upSince === since && startedAt >= since) {
      if (checked.size >= checkedSessionsMax) checked.delete(checked.keys().next().value as string);
      checked.set(token.sid, startedAt);
    }
    return true;
  }

  /**
   * Whether a verified token may be used: false when its session or user was revoked. Answers at once (no I/O) while
   * the channel is up, for tokens minted since it came up and for sessions already checked since; otherwise a
   * promise of the database's answer.
   */
  function allows(token: RevocableToken): boolean | Promise<boolean> {
    if (!started) start();
    if (denied(token)) return false;
    sweep();
    if (upSince !== null) {
      if (token.iat * 1000 >= upSince) return true;
      const checkedAt = checked.get(token.sid);
      if (checkedAt !== undefined && checkedAt >= upSince) return true;
    }
    return checkInDatabase(token);
  }

  /** Refuses the session's (or user's) tokens here at once, and on every other instance through the channel. */
  async function revoke(event: RevocationEvent): Promise<void> {
    if (!started) start();
    apply(event);
    await channel.publish(event);
  }

  return {
    allows,
    revoke,
    start,
    /** The channel's state and what is held, for health checks and tests. */
    state: () => ({ channel: channel.name, up: upSince !== null, sessions: sessions.size, users: users.size }),
    stop: () => channel.stop(),
  };
}

export type TokenRevocation = ReturnType<typeof createTokenRevocation>;
