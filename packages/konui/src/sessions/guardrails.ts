import { DEFAULT_GUARDRAILS, type Guardrails, type UpdateGuardrailsRequest } from "@kon/protocol";
import { eq } from "drizzle-orm";
import type { Db } from "../db/open.ts";
import { guardrails } from "../db/schema.ts";
import type { Clock } from "../time.ts";

/** Per-agent turn limits; an agent nobody configured runs on the defaults. */
export class GuardrailStore {
  constructor(
    private readonly db: Db,
    private readonly now: Clock,
  ) {}

  get(agent: string): Guardrails {
    const row = this.db.select().from(guardrails).where(eq(guardrails.agent, agent)).get();
    if (!row) return { ...DEFAULT_GUARDRAILS };
    return {
      max_turns_task: row.maxTurnsTask,
      max_turns_chat: row.maxTurnsChat,
      execution_timeout_sec: row.executionTimeoutSec,
    };
  }

  update(agent: string, change: UpdateGuardrailsRequest): Guardrails {
    const next = { ...this.get(agent), ...change };
    const values = {
      maxTurnsTask: next.max_turns_task,
      maxTurnsChat: next.max_turns_chat,
      executionTimeoutSec: next.execution_timeout_sec,
      updatedAt: this.now(),
    };
    this.db
      .insert(guardrails)
      .values({ agent, ...values })
      .onConflictDoUpdate({ target: guardrails.agent, set: values })
      .run();
    return next;
  }
}
