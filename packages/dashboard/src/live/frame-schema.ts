import { DashboardServerFrame, Decision } from "@kon/protocol";
import { config } from "zod";

// zod's fast path compiles validators with `Function`, which the page's CSP forbids (and a
// refused eval is a console error): the plain interpreter is fast enough for these frames.
config({ jitless: true });

/** The schemas the page parses what the server sends with: live frames, and the decision a 409 carries. */
export { DashboardServerFrame, Decision };
