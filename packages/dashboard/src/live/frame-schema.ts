import { DashboardServerFrame } from "@kon/protocol";
import { config } from "zod";

// zod's fast path compiles validators with `Function`, which the page's CSP forbids (and a
// refused eval is a console error): the plain interpreter is fast enough for these frames.
config({ jitless: true });

export { DashboardServerFrame };
