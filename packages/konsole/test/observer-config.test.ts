import { describe, expect, it } from "vitest";
import { ConfigError, parseConfig } from "../src/config.ts";

const base = { KONSOLE_SERVICE_TOKEN: "a-service-token-of-some-length", HOME: "/home/dev" };

describe("the observer's configuration", () => {
  it("observes the CLI's config dir as konsole runs it, ~/.claude and ~/.config/claude by default", () => {
    expect(parseConfig(base).observeDirs).toEqual(["/home/dev/.claude", "/home/dev/.config/claude"]);
    expect(parseConfig({ ...base, CLAUDE_CONFIG_DIR: "/srv/claude" }).observeDirs).toEqual([
      "/srv/claude",
      "/home/dev/.claude",
      "/home/dev/.config/claude",
    ]);
  });

  it("takes KONSOLE_OBSERVE_DIRS as a comma-separated list, or none", () => {
    expect(parseConfig({ ...base, KONSOLE_OBSERVE_DIRS: "/a, /b ,/a" }).observeDirs).toEqual(["/a", "/b"]);
    expect(parseConfig({ ...base, KONSOLE_OBSERVE_DIRS: "none" }).observeDirs).toEqual([]);
    expect(parseConfig({ ...base, KONSOLE_OBSERVE_DIRS: "" }).observeDirs).toEqual(["/home/dev/.claude", "/home/dev/.config/claude"]);
  });

  it("refuses a bad rescan interval", () => {
    expect(parseConfig(base).observeRescanSec).toBe(300);
    expect(() => parseConfig({ ...base, KONSOLE_OBSERVE_RESCAN_SEC: "0" })).toThrow(ConfigError);
    expect(() => parseConfig({ ...base, KONSOLE_OBSERVE_RESCAN_SEC: "soon" })).toThrow(/KONSOLE_OBSERVE_RESCAN_SEC/);
  });
});
