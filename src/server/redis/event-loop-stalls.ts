// When the event loop could not run: a timer that should tick every few milliseconds records each gap, so a
// timeout can be judged by the time the process actually spent able to read the answer, not by the clock alone.
const TICK_MS = 20;
// Gaps shorter than this are ordinary scheduling noise (garbage collection, a busy moment), not stalls.
const STALL_MS = 50;
// Enough history for any command timeout; older stalls and the oldest ones past this count are forgotten.
const KEEP = 64;
const KEEP_MS = 60_000;

type Stall = { from: number; to: number };

export type EventLoopStalls = {
  /** Milliseconds of [from, to] (performance.now() times) during which the event loop did not turn. */
  stalledMsBetween(from: number, to: number): number;
};

let shared: EventLoopStalls | undefined;

/** One tracker per process; its timer does not keep the process alive. */
export function eventLoopStalls(): EventLoopStalls {
  return (shared ??= trackEventLoopStalls());
}

function trackEventLoopStalls(): EventLoopStalls {
  const stalls: Stall[] = [];
  let lastTick = performance.now();
  setInterval(() => {
    const now = performance.now();
    // The part of the gap past the expected tick is the time the loop could not turn.
    if (now - lastTick > STALL_MS) {
      stalls.push({ from: lastTick + TICK_MS, to: now });
      while (stalls.length > KEEP || (stalls[0] && stalls[0].to < now - KEEP_MS)) stalls.shift();
    }
    lastTick = now;
  }, TICK_MS).unref();

  return {
    stalledMsBetween(from, to) {
      let stalled = 0;
      for (const stall of stalls) stalled += Math.max(0, Math.min(to, stall.to) - Math.max(from, stall.from));
      // A stall still going on (we are running inside the first task after it, before the timer could tick).
      const now = performance.now();
      if (now - lastTick > STALL_MS) stalled += Math.max(0, Math.min(to, now) - Math.max(from, lastTick + TICK_MS));
      return stalled;
    },
  };
}
