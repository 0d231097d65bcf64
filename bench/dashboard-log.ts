// A session of 2,000 messages vs one of 20: time to interactive of the session page in chromium.
// Real konui (in-process, temp data dir) serves the built dashboard; the sessions are seeded
// through konui's own send route (a fake konsole that finishes each turn at once) and its turn
// recorder, so every row is written by the code that owns it. Each round opens a fresh browser
// context, logs in through the login page, then loads the session page and, from inside the
// page, takes the time since navigation start at the first animation frame where the log shows
// the session's last message and the "Message" textbox takes focus; then it checks, untimed,
// that typing reaches the textbox.
// Interleaved rounds; asserts nothing. Run: tsx bench/dashboard-log.ts [rounds=5]

import os from "node:os";
import path from "node:path";
import type { Browser, Page } from "playwright-core";
import { start } from "@kon/konui";
import type { SendMessageAccepted } from "@kon/protocol";
import { FakeKonsole } from "../packages/konui/test/support/fake-konsole.ts";
import { ADMIN_PASSWORD, listeningConfig, silentLogger } from "../packages/konui/test/support/harness.ts";
import { dashboardDist, ensureDashboardBuilt } from "../scripts/dashboard-build.mjs";
import { median } from "./support/bench-konsole.ts";
import { launchChromium } from "@kon/e2e/support/chromium-launch";
import { konuiCalls } from "./support/konui-calls.ts";

const ROUNDS = Number(process.argv[2] ?? 5);
const GOAL_RATIO = 2;
const USER = { username: "reader", password: "reader-password" };
const SIZES = { small: 20, large: Number(process.env.BENCH_LARGE ?? 2000) };

/** An assistant reply of realistic length, ending with a marker that names it. */
const replyOf = (question: string) =>
  [
    `Looking at ${question.toLowerCase()}: the handler reads the request body before it checks the content type, so a`,
    "multipart upload with a wrong header reaches the JSON parser and fails there with a generic message.",
    "",
    "What I changed:",
    "- the content type is checked first and answered with 415 naming the expected type;",
    "- the JSON body limit now applies before parsing, not after;",
    "- two tests cover both cases.",
    "",
    "```ts",
    'if (!c.req.header("content-type")?.startsWith("application/json")) throw new ApiError("unsupported_media_type", "Send JSON");',
    "```",
    "",
    `All tests pass. (reply to ${question})`,
  ].join("\n");

await ensureDashboardBuilt({ log: (line) => console.log(line) });
const konsole = new FakeKonsole();
konsole.script = (request) => ({ status: "succeeded", reply: replyOf(request.text) });
const konui = await start(listeningConfig({ KONUI_DASHBOARD_DIR: dashboardDist }), { konsole, logger: silentLogger, print: () => {} });

const { call, login } = konuiCalls(konui.url);

/** A session of `messages` messages (half questions, half replies); resolves with its id and the text its last message contains. */
async function seedSession(token: string, title: string, messages: number): Promise<{ id: string; lastText: string }> {
  const { id } = await call<{ id: string }>("POST", "/api/agents/claude/session", token, { title });
  let lastText = "";
  for (let i = 1; i <= messages / 2; i++) {
    const sent = await call<SendMessageAccepted>("POST", `/api/agents/claude/sessions/${id}/message?async=true`, token, {
      text: `Question ${i} of ${messages / 2} in ${title}`,
    });
    // The fake konsole finished the turn at once; konui's recorder stores the reply, as its journal consumer would.
    const turn = konsole.turns.get(sent.turnId);
    if (!turn || !konui.services.recorder.record(turn)) throw new Error(`turn ${sent.turnId} was not recorded`);
    lastText = `(reply to ${sent.userMessage.text})`;
  }
  return { id, lastText };
}

const admin = await login("admin", ADMIN_PASSWORD);
await call("POST", "/api/users", admin, USER);
const reader = await login(USER.username, USER.password);
const seedStarted = performance.now();
const sessions = {
  small: await seedSession(reader, "Small session", SIZES.small),
  large: await seedSession(reader, "Large session", SIZES.large),
};
console.log(
  `dashboard log bench: session page with ${SIZES.small} vs ${SIZES.large} messages, ${ROUNDS} interleaved rounds (+1 warm-up); ` +
    `seeded through konui in ${((performance.now() - seedStarted) / 1000).toFixed(1)} s\n`,
);

/** Runs in the page from its first script on: the time since navigation start when the log and the textbox are ready. */
const watcherScript = (lastText: string) => `(() => {
  const lastText = ${JSON.stringify(lastText)};
  const check = () => {
    const log = document.querySelector('[role="log"][aria-label="Messages"]');
    const articles = log ? log.querySelectorAll("article") : [];
    const last = articles[articles.length - 1];
    const box = document.querySelector('textarea[aria-label="Message"]');
    if (last && last.textContent.includes(lastText) && box && !box.disabled && !box.readOnly) {
      box.focus();
      if (document.activeElement === box) {
        window.__konInteractive = { at: performance.now(), articles: articles.length };
        return;
      }
    }
    requestAnimationFrame(check);
  };
  requestAnimationFrame(check);
})();`;

/** Console errors and failed requests seen in any round, printed once at the end. */
const noticed = new Set<string>();

interface Load {
  ms: number;
  articles: number;
}

/** A load that never got ready: counted and retried, never timed. */
class StuckPage extends Error {}
const stuck: string[] = [];

/**
 * Opens the login page, reloading it when it stays on "Loading…" (the dashboard can miss its own
 * "signed out" answer when it comes back before the page subscribed to it); each reload is counted.
 */
async function openLoginPage(page: Page): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    await page.goto(`${konui.url}/login`);
    try {
      await page.getByRole("textbox", { name: "Username" }).waitFor({ timeout: 5_000 });
      return;
    } catch (err) {
      if (attempt === 5) throw err;
      stuck.push(`login page still "${(await page.locator("body").innerText()).trim().slice(0, 40)}" after 5 s; reloaded`);
    }
  }
}

async function loadSession(browser: Browser, session: { id: string; lastText: string }): Promise<Load> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 860 } });
  try {
    const page = await context.newPage();
    const pageErrors: string[] = [];
    page.on("pageerror", (err) => pageErrors.push(err.message));
    page.on("console", (message) => {
      if (message.type() === "error") noticed.add(`console error on ${new URL(page.url()).pathname}: ${message.text()}`);
    });
    page.on("response", (response) => {
      if (response.status() >= 400) noticed.add(`${response.request().method()} ${new URL(response.url()).pathname} answered ${response.status()}`);
    });
    await openLoginPage(page);
    await page.getByRole("textbox", { name: "Username" }).fill(USER.username);
    await page.getByLabel("Password", { exact: true }).fill(USER.password);
    await page.getByRole("button", { name: "Log in" }).click();
    await page.getByRole("navigation", { name: "Main" }).waitFor();

    await page.addInitScript({ content: watcherScript(session.lastText) });
    await page.goto(`${konui.url}/sessions/claude/${session.id}`, { waitUntil: "commit" });
    // Polled by evaluation (not eval inside the page, which konui's CSP forbids), and off the clock:
    // the time is taken in the page.
    let load: { at: number; articles: number } | undefined;
    for (const until = Date.now() + 30_000; !load; await new Promise((resolve) => setTimeout(resolve, 50))) {
      if (Date.now() > until) {
        const shown = (await page.locator("body").innerText()).slice(0, 80).replace(/\s+/g, " ");
        throw new StuckPage(`the session page never showed its last message with the textbox ready (it shows "${shown}")`);
      }
      load = (await page.evaluate("window.__konInteractive")) as typeof load;
    }

    // Untimed: the textbox the contract names is the one that was focused, and typing reaches it.
    const box = page.getByRole("textbox", { name: "Message" });
    await box.pressSequentially("ok");
    const typed = await box.inputValue();
    if (typed !== "ok") throw new Error(`the Message textbox holds ${JSON.stringify(typed)} after typing "ok"`);
    if (pageErrors.length > 0) throw new Error(`the page failed: ${pageErrors.join(" | ")}`);
    return { ms: load.at, articles: load.articles };
  } catch (err) {
    const shot = path.join(os.tmpdir(), `dashboard-log-failed-${Date.now()}.png`);
    await context.pages()[0]?.screenshot({ path: shot }).catch(() => {});
    if (err instanceof Error) err.message += ` (screenshot: ${shot})`;
    throw err;
  } finally {
    await context.close();
  }
}

const browser = await launchChromium();
const times: Record<"small" | "large", number[]> = { small: [], large: [] };
const articles: Record<"small" | "large", number> = { small: 0, large: 0 };
try {
  for (let round = 0; round <= ROUNDS; round++) {
    const order: ("small" | "large")[] = round % 2 === 0 ? ["small", "large"] : ["large", "small"];
    for (const size of order) {
      let load: Load | undefined;
      for (let attempt = 1; !load; attempt++) {
        try {
          load = await loadSession(browser, sessions[size]);
        } catch (err) {
          if (!(err instanceof StuckPage) || attempt === 3) throw err;
          stuck.push(`${SIZES[size]} messages: ${err.message}; loaded again`);
        }
      }
      articles[size] = load.articles;
      if (round > 0) times[size].push(load.ms);
    }
  }
} finally {
  await browser.close();
  await konui.stop();
}

const small = median(times.small);
const large = median(times.large);
const row = (size: "small" | "large") =>
  console.log(
    `${String(SIZES[size]).padStart(5)} messages: median ${median(times[size]).toFixed(0).padStart(5)} ms ` +
      `(min ${Math.min(...times[size]).toFixed(0)}, max ${Math.max(...times[size]).toFixed(0)}); ${articles[size]} articles rendered`,
  );
row("small");
row("large");
console.log(`\nlarge/small = ${(large / small).toFixed(2)}x; goal ≤ ${GOAL_RATIO}x: ${large / small <= GOAL_RATIO ? "met" : "NOT met"}`);
for (const note of noticed) console.log(`seen: ${note}`);
if (stuck.length > 0) console.log(`stuck (not timed, retried) ${stuck.length}x:\n  ${[...new Set(stuck)].join("\n  ")}`);
console.log("(time from navigation start of the session page, logged in by refresh cookie, to the first frame with the last message shown and the textbox focused)");
