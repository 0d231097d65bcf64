import type { FeatureFlag, FeatureFlagName } from "@kon/protocol";
import { and, eq, inArray } from "drizzle-orm";
import type { Db } from "../db/open.ts";
import { featureFlags } from "../db/schema.ts";
import type { Clock } from "../time.ts";

const GLOBAL = "*";
const DEFAULTS: Record<FeatureFlagName, boolean> = { session_tab_enabled: true };

/** Feature flags: an agent's own value wins over the global one, which wins over the default. */
export class FlagStore {
  constructor(
    private readonly db: Db,
    private readonly now: Clock,
  ) {}

  isEnabled(name: FeatureFlagName, agent: string): boolean {
    const rows = this.db
      .select()
      .from(featureFlags)
      .where(and(eq(featureFlags.name, name), inArray(featureFlags.agent, [agent, GLOBAL])))
      .all();
    const own = rows.find((r) => r.agent === agent);
    const global = rows.find((r) => r.agent === GLOBAL);
    return own?.enabled ?? global?.enabled ?? DEFAULTS[name];
  }

  list(): FeatureFlag[] {
    const stored = this.db.select().from(featureFlags).all();
    const globals = (Object.keys(DEFAULTS) as FeatureFlagName[]).map((name) => ({
      name,
      agent: null,
      enabled: stored.find((r) => r.name === name && r.agent === GLOBAL)?.enabled ?? DEFAULTS[name],
    }));
    const perAgent = stored
      .filter((r) => r.agent !== GLOBAL)
      .map((r) => ({ name: r.name as FeatureFlagName, agent: r.agent, enabled: r.enabled }));
    return [...globals, ...perAgent];
  }

  set(name: FeatureFlagName, agent: string | undefined, enabled: boolean): FeatureFlag {
    const key = agent ?? GLOBAL;
    this.db
      .insert(featureFlags)
      .values({ name, agent: key, enabled, updatedAt: this.now() })
      .onConflictDoUpdate({ target: [featureFlags.name, featureFlags.agent], set: { enabled, updatedAt: this.now() } })
      .run();
    return { name, agent: agent ?? null, enabled };
  }
}
