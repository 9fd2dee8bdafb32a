// Where the command-line client keeps its credentials: one JSON file only its owner can read (mode 0600).
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";

/** The session token is the long-lived refresh credential; the access token (a JWT) is reused until it expires. */
export type Credentials = { baseUrl: string; sessionToken: string; accessToken?: string };

/** `$XDG_CONFIG_HOME/taskforge/credentials.json`, or `~/.config/taskforge/credentials.json`. */
export function defaultCredentialsFile(configHome: string | undefined): string {
  return path.join(configHome || path.join(os.homedir(), ".config"), "taskforge", "credentials.json");
}

export function credentialsStore(file: string) {
  return {
    file,
    async load(): Promise<Credentials | null> {
      try {
        return JSON.parse(await fs.readFile(file, "utf8")) as Credentials;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
        throw error;
      }
    },
    async save(credentials: Credentials): Promise<void> {
      await fs.mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
      // Written to a private temporary file and renamed, so the tokens are never readable by others, even briefly.
      const temporary = `${file}.${process.pid}.tmp`;
      await fs.writeFile(temporary, JSON.stringify(credentials, null, 2), { mode: 0o600 });
      await fs.rename(temporary, file);
    },
    async clear(): Promise<void> {
      await fs.rm(file, { force: true });
    },
  };
}

export type CredentialsStore = ReturnType<typeof credentialsStore>;
