// The device a request came from, in words a person recognises it by, from its user agent.
import Bowser from "bowser";

/**
 * "Firefox 133 on macOS 14.5", "Chrome 142 on Windows 10" from a user agent: what a person recognises their device
 * by, with versions, so two devices with the same browser can be told apart.
 */
export function describeDevice(userAgent: string | null): string {
  if (!userAgent) return "Unknown device";
  const parsed = Bowser.parse(userAgent);
  const browser = [parsed.browser.name, parsed.browser.version?.split(".")[0]].filter(Boolean).join(" ");
  const osVersion =
    parsed.os.name === "Windows" ? parsed.os.versionName : parsed.os.version?.split(".").slice(0, 2).join(".");
  const os = [parsed.os.name, osVersion].filter(Boolean).join(" ");
  if (!browser && !os) return userAgent.slice(0, 60);
  return [browser || "Unknown browser", os].filter(Boolean).join(" on ");
}

/**
 * "Firefox on macOS": the device without versions, which an update changes. A sign-in from a family the account has
 * not signed in from before earns a notice (src/server/auth/new-device-notice.ts).
 */
export function deviceFamily(userAgent: string | null): string {
  if (!userAgent) return "Unknown device";
  const parsed = Bowser.parse(userAgent);
  return [parsed.browser.name || "Unknown browser", parsed.os.name].filter(Boolean).join(" on ");
}
