// How much one request delays the others: a cheap probe's latency alone, then while a hostile request runs. Probes
// go back to back, each timed from the end of the one before (the turn of the event loop between them included), so
// a stall anywhere in between shows in some probe's time.

export type LatencyDuring<T> = { result: T; worstMs: number; probes: number; slowestMs: number[] };

/** Calls `probe` until `done()` says to stop (at least `minRuns` times); each call's time, slowest first. */
async function probeTimes(probe: () => Promise<unknown>, done: () => boolean, minRuns = 1): Promise<number[]> {
  const times: number[] = [];
  let last = performance.now();
  while (times.length < minRuns || !done()) {
    await new Promise((resolve) => setImmediate(resolve));
    await probe();
    const now = performance.now();
    times.push(now - last);
    last = now;
  }
  return times.sort((a, b) => b - a);
}

/**
 * The worst time of `probe` over `runs` calls after one to warm up, with nothing else running. Compare it with a run
 * during a hostile request of as many probes: the worst of many calls is longer than the worst of a few (a garbage
 * collection, the other core's work), stall or not.
 */
export async function latencyAlone(probe: () => Promise<unknown>, runs = 10): Promise<number> {
  await probe();
  const [worst = 0] = await probeTimes(probe, () => true, runs);
  return worst;
}

/** Starts `hostile`, and until it settles calls `probe` again and again; the worst probe time and what `hostile` gave. */
export async function latencyDuring<T>(
  hostile: () => Promise<T>,
  probe: () => Promise<unknown>,
): Promise<LatencyDuring<T>> {
  let settled = false;
  const running = hostile().finally(() => (settled = true));
  const times = await probeTimes(probe, () => settled);
  return { result: await running, worstMs: times[0] ?? 0, probes: times.length, slowestMs: times.slice(0, 5) };
}
