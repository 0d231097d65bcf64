import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";

// No Docker engine runs here, so the deployment files are checked on paper against the code.
const root = path.resolve(import.meta.dirname, "..", "..");
const read = (file: string) => readFileSync(path.join(root, file), "utf8");

interface ComposeService {
  build: { context: string; target: string };
  image?: string;
  profiles?: string[];
  environment: Record<string, string>;
  volumes?: string[];
  ports?: string[];
  expose?: string[];
  secrets?: string[];
  depends_on?: Record<string, { condition: string }>;
}
const compose = parse(read("docker-compose.yml")) as {
  services: Record<string, ComposeService>;
  volumes: Record<string, unknown>;
  secrets: Record<string, { environment?: string; file?: string }>;
};
/** The two services `docker compose up` runs; the rest are optional profiles. */
const core = Object.fromEntries(Object.entries(compose.services).filter(([, service]) => service.profiles === undefined));
const dockerfile = read("Dockerfile");
const stages = [...dockerfile.matchAll(/^FROM\s+(\S+)(?:\s+AS\s+(\S+))?/gim)].map((match) => ({ image: match[1] ?? "", name: match[2] }));

describe("docker-compose.yml", () => {
  it("builds each service from its own Dockerfile target", () => {
    expect(Object.keys(core).sort()).toEqual(["konsole", "konui"]);
    for (const [name, service] of Object.entries(core)) {
      expect(service.build).toEqual({ context: ".", target: name });
      expect(stages.map((stage) => stage.name)).toContain(name);
    }
  });

  it("publishes konui only; konsole stays on the compose network", () => {
    expect(compose.services.konsole?.ports).toBeUndefined();
    expect(compose.services.konui?.ports).toEqual(["${KONUI_PORT:-7800}:7800"]);
    expect(compose.services.konui?.depends_on?.konsole?.condition).toBe("service_healthy");
  });

  it("points the services at each other and shares one service token", () => {
    const konsole = compose.services.konsole?.environment ?? {};
    const konui = compose.services.konui?.environment ?? {};
    expect(konsole.KONUI_URL).toBe(`http://konui:${konui.KONUI_PORT}`);
    expect(konui.KONSOLE_URL).toBe(`http://konsole:${konsole.KONSOLE_PORT}`);
    expect(konsole.KONSOLE_SERVICE_TOKEN).toBe(konui.KONSOLE_SERVICE_TOKEN);
    expect(konsole.KONSOLE_SERVICE_TOKEN).toMatch(/^\$\{KONSOLE_SERVICE_TOKEN:\?/);
  });

  it("sets only variables that the service's config reads or passes through to Claude", () => {
    for (const name of ["konsole", "konui"]) {
      const config = read(`packages/${name}/src/config.ts`);
      const prefixes = [...config.matchAll(/"([A-Z]+_)"/g)].map((match) => match[1] ?? "");
      for (const variable of Object.keys(compose.services[name]?.environment ?? {})) {
        const read = config.includes(variable) || prefixes.some((prefix) => variable.startsWith(prefix));
        expect(read, `${name} does not read ${variable}`).toBe(true);
      }
    }
  });

  it("keeps each service's data on a named volume at its data dir", () => {
    for (const [name, service] of Object.entries(core)) {
      const dataDir = service.environment[`${name.toUpperCase()}_DATA_DIR`];
      expect(service.volumes).toEqual([`${name}-data:${dataDir}`]);
      expect(compose.volumes).toHaveProperty(`${name}-data`);
    }
  });
});

describe("Dockerfile", () => {
  it("runs on a current LTS Node", () => {
    for (const stage of stages.filter((stage) => stage.image.startsWith("node:"))) {
      expect(stage.image).toMatch(/^node:(22|24)[.-]/);
    }
  });

  it("installs the pnpm the workspace pins, from the lockfile", () => {
    const packageJson = JSON.parse(read("package.json")) as { packageManager: string };
    expect(dockerfile).toContain(`npm install -g ${packageJson.packageManager}`);
    expect(dockerfile).toContain("pnpm install --frozen-lockfile");
  });

  it("copies every workspace package's package.json before the frozen install", () => {
    const install = dockerfile.slice(0, dockerfile.indexOf("pnpm install --frozen-lockfile"));
    const copied = new Set([...install.matchAll(/^COPY\s+(\S+)\/package\.json\s/gm)].map((match) => match[1]));
    const workspace = [...readdirSync(path.join(root, "packages")).map((name) => `packages/${name}`), "test", "bench"];
    for (const dir of workspace.filter((dir) => existsSync(path.join(root, dir, "package.json")))) expect(copied, dir).toContain(dir);
  });

  it("copies files that exist and starts each service's main.ts", () => {
    for (const match of dockerfile.matchAll(/^COPY\s+(.+)\s+\S+$/gm)) {
      for (const source of (match[1] ?? "").split(/\s+/)) expect(existsSync(path.join(root, source)), source).toBe(true);
    }
    for (const name of ["konsole", "konui"]) {
      expect(dockerfile).toContain(`"packages/${name}/src/main.ts"`);
      expect(existsSync(path.join(root, "packages", name, "src", "main.ts"))).toBe(true);
    }
  });

  it("checks health on the port each service listens on and runs as a non-root user", () => {
    for (const name of ["konsole", "konui"]) {
      const stage = dockerfile.split(/^FROM /m).find((text) => text.includes(`AS ${name}\n`)) ?? "";
      const port = /_PORT=(\d+)/.exec(stage)?.[1];
      expect(stage).toContain(`EXPOSE ${port}`);
      expect(stage).toContain(`http://127.0.0.1:${port}/health`);
      expect(stage).toMatch(/^USER node$/m);
    }
  });
});
