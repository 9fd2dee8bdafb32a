// The input of a procedure that takes none: nothing, or an empty object. Anything else is BAD_REQUEST, like an
// unknown key anywhere else, rather than silently ignored.
import { z } from "zod";

export const noInput = z.strictObject({}).optional();
