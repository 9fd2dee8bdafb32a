import { toNextJsHandler } from "better-auth/next-js";
import { starterAuth } from "../../../../auth";

export const { GET, POST } = toNextJsHandler(starterAuth);
