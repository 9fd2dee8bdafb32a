// Runs in every test worker before the app is loaded: requests to Google's and GitHub's hosts go to the stand-ins the
// global setup started (provider-stand-ins.ts), so the app configured with both presets never reaches for the real
// servers, which tests cannot reach.
import { routeHostsTo, type StandIn } from "@/test/fixtures/provider-stand-ins";

routeHostsTo(JSON.parse(process.env.PROVIDER_STAND_INS ?? "[]") as StandIn[]);
