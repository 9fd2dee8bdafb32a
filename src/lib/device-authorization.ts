// Device authorization (RFC 8628), shared by the server, the /device page and the CLI: the one client allowed to ask
// for a code, and where a person approves it.
export const CLI_CLIENT_ID = "taskforge-cli";
export const DEVICE_PAGE = "/device";
/** What the /device page says the client is. */
export const DEVICE_CLIENTS: Readonly<Record<string, string>> = {
  [CLI_CLIENT_ID]: "Taskforge command line (npm run cli)",
};
