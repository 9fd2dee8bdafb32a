// The commands of `npm run cli -- <command>`: parsing, calls through the typed client, and what gets printed.
import { type ApiClient, describeError } from "@/cli/api-client";

export const USAGE = `Usage: npm run cli -- <command>

  sign-in              sign in through the browser: prints a link and a code, and waits while you approve it there
                       (signed in by any way, a passkey included)
  sign-in --password <email>
                       sign in with the password, for scripts (the password, then the second-factor code if the
                       account has one, are read from the terminal or from stdin, one per line)
  sign-out             end the session on the server and forget the tokens
  whoami               the signed-in user
  tasks list [--done|--open]
  tasks add <title>    create a task
  tasks done <id>      mark a task completed

Environment: TASKFORGE_URL (default http://localhost:3000), TASKFORGE_CREDENTIALS (credentials file).`;

export type CommandIo = {
  client: ApiClient;
  print: (line: string) => void;
  printError: (line: string) => void;
  readPassword: (prompt: string) => Promise<string>;
  /** The pause between polls of a device sign-in (seconds); the real one unless a test shortens it. */
  wait?: (seconds: number) => Promise<unknown>;
};

type Task = { id: string; title: string; completed: boolean; priority: string; dueAt: Date | null };
const taskLine = (task: Task) =>
  `${task.completed ? "[x]" : "[ ]"} ${task.id}  ${task.title}  (${task.priority}${task.dueAt ? `, due ${task.dueAt.toISOString()}` : ""})`;

async function tasks(args: string[], { client, print, printError }: CommandIo): Promise<number> {
  const [action, ...rest] = args;
  if (action === "list") {
    const completed = rest.includes("--done") ? true : rest.includes("--open") ? false : undefined;
    let cursor: string | undefined;
    let count = 0;
    do {
      const page = await client.trpc.task.list.query({ limit: 100, completed, cursor });
      for (const task of page.items) print(taskLine(task));
      count += page.items.length;
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    if (count === 0) print("No tasks.");
    return 0;
  }
  if (action === "add" && rest.length > 0) {
    const task = await client.trpc.task.create.mutate({ title: rest.join(" ") });
    print(`Added ${taskLine(task)}`);
    return 0;
  }
  if (action === "done" && rest[0]) {
    const { id, version } = await client.trpc.task.byId.query({ id: rest[0] });
    print(`Completed ${taskLine(await client.trpc.task.update.mutate({ id, version, completed: true }))}`);
    return 0;
  }
  printError(USAGE);
  return 2;
}

async function dispatch([command, ...args]: string[], io: CommandIo): Promise<number> {
  const { client, print } = io;
  switch (command) {
    case "sign-in": {
      if (args.length === 0) {
        await client.signInWithDevice(({ userCode, verificationUri, verificationUriComplete }) => {
          print(`To sign in, open ${verificationUriComplete}`);
          print(`and check that it shows the code ${userCode} (or enter it at ${verificationUri}).`);
          print("Waiting for you to approve it there…");
        }, io.wait);
        const me = await client.trpc.user.me.query();
        print(`Signed in as ${me.name} <${me.email}>.`);
        return 0;
      }
      // `sign-in <email>` is the password sign-in too, as before `--password` existed.
      const email = args[0] === "--password" ? args[1] : args.length === 1 ? args[0] : undefined;
      if (!email) break;
      const password = await io.readPassword("Password: ");
      await client.signIn(email, password, () =>
        io.readPassword("Code (from your authenticator app, or a backup code): "),
      );
      const me = await client.trpc.user.me.query();
      print(`Signed in as ${me.name} <${me.email}>.`);
      return 0;
    }
    case "sign-out":
      await client.signOut();
      print("Signed out.");
      return 0;
    case "whoami": {
      const me = await client.trpc.user.me.query();
      print(`${me.name} <${me.email}> (${me.role}), id ${me.id}`);
      return 0;
    }
    case "tasks":
      return tasks(args, io);
  }
  io.printError(USAGE);
  return 2;
}

/** Runs one command; the exit code: 0 done, 1 refused or failed, 2 wrong usage. */
export async function runCli(argv: string[], io: CommandIo): Promise<number> {
  try {
    return await dispatch(argv, io);
  } catch (error) {
    const message = describeError(error);
    if (message === null) throw error;
    io.printError(`Error: ${message}`);
    return 1;
  }
}
