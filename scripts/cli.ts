// `npm run cli -- <command>`: the command-line client's entry point (configuration, terminal, exit code).
import { createApiClient } from "@/cli/api-client";
import { runCli } from "@/cli/commands";
import { credentialsStore, defaultCredentialsFile } from "@/cli/credentials";

let pipedLines: string[] | null = null;

/**
 * Reads a password (or a code) without echoing it on a terminal, or the next line of piped stdin: `printf
 * 'password\n123456\n' | npm run cli -- sign-in me@example.com` answers both questions.
 */
async function readPassword(prompt: string): Promise<string> {
  const { stdin, stderr } = process;
  if (!stdin.isTTY) {
    if (!pipedLines) {
      let input = "";
      for await (const chunk of stdin) input += String(chunk);
      pipedLines = input.split(/\r?\n/);
    }
    return pipedLines.shift() ?? "";
  }
  stderr.write(prompt);
  stdin.setRawMode(true);
  stdin.setEncoding("utf8");
  stdin.resume();
  return new Promise((resolve, reject) => {
    let value = "";
    const finish = (settle: () => void) => {
      stdin.off("data", onData);
      stdin.setRawMode(false);
      stdin.pause();
      stderr.write("\n");
      settle();
    };
    const onData = (chunk: string) => {
      for (const char of chunk) {
        if (char === "\r" || char === "\n") return finish(() => resolve(value));
        if (char === "\u0003") return finish(() => reject(new Error("Cancelled.")));
        value = char === "\u007f" || char === "\b" ? value.slice(0, -1) : value + char;
      }
    };
    stdin.on("data", onData);
  });
}

const store = credentialsStore(
  process.env.TASKFORGE_CREDENTIALS || defaultCredentialsFile(process.env.XDG_CONFIG_HOME),
);
const client = createApiClient({ baseUrl: process.env.TASKFORGE_URL || "http://localhost:3000", store });

process.exitCode = await runCli(process.argv.slice(2), {
  client,
  print: (line) => console.log(line),
  printError: (line) => console.error(line),
  readPassword,
});
