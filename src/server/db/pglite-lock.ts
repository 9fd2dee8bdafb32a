// One process at a time may open an embedded PGlite folder; a second one gets a clear error, not corruption.
import fs from "node:fs";
import path from "node:path";

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** Takes `<dataDir>.lock` for this process (stale locks of dead processes are replaced). */
export function lockPgliteDir(dataDir: string): void {
  const lockFile = `${path.resolve(dataDir)}.lock`;
  fs.mkdirSync(path.dirname(lockFile), { recursive: true });
  for (;;) {
    try {
      fs.writeFileSync(lockFile, String(process.pid), { flag: "wx" });
      process.once("exit", () => fs.rmSync(lockFile, { force: true }));
      return;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
    const owner = Number.parseInt(fs.readFileSync(lockFile, "utf8"), 10);
    if (owner === process.pid) return;
    if (Number.isInteger(owner) && isAlive(owner)) {
      throw new Error(
        `The embedded database in ${dataDir} is in use by process ${owner}. PGlite serves one process: ` +
          "stop that process, or set DATABASE_URL to use PostgreSQL for several processes.",
      );
    }
    fs.rmSync(lockFile, { force: true });
  }
}
