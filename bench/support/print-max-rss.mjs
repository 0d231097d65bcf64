// Preloaded into a measured Node process (`node --import …`): prints its peak RSS on exit.
import process from "node:process";

process.on("exit", () => {
  process.stderr.write(`\nBENCH_MAX_RSS_KB=${process.resourceUsage().maxRSS}\n`);
});
