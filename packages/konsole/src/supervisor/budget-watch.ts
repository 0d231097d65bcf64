import { Usage, type ClaudeLine, type TokenCounts, type TurnBudget } from "@kon/protocol";
import { costOf } from "../claude/pricing.ts";
import { tokensOf } from "../claude/turn-accumulator.ts";

interface MessageSpend {
  model: string;
  tokens: TokenCounts;
}

type Fields = Record<string, unknown>;
const isObject = (value: unknown): value is Fields => typeof value === "object" && value !== null;

/**
 * What a running turn has spent, priced with the one price table from the usage each API
 * message reports as it streams (its `message_start`, then the output counted by its
 * `message_delta`; subagents' messages too), and the moment that passes what its budget had
 * left. The CLI's `--max-budget-usd` guards the same line from inside; this one holds whatever
 * the process was started with.
 */
export class BudgetWatch {
  private readonly messages = new Map<string, MessageSpend>();
  /** The message each stream (the main one, or a subagent's tool call) is writing now. */
  private readonly streaming = new Map<string, string>();
  private crossed = false;

  constructor(
    private readonly budget: TurnBudget,
    private readonly onCrossed: (spentUsd: number) => void,
  ) {}

  get spentUsd(): number {
    let total = 0;
    for (const { model, tokens } of this.messages.values()) total += costOf(model, tokens) ?? 0;
    return total;
  }

  observe(line: ClaudeLine): void {
    if (this.crossed || line.kind !== "event") return;
    const event = line.event;
    if (event.type === "stream_event") this.observeStream(event.event, event.parent_tool_use_id ?? "");
    else if (event.type === "assistant" && event.message.id && event.message.model && event.message.usage) {
      this.update(event.message.id, event.message.model, event.message.usage);
    } else return;
    const spent = this.spentUsd;
    if (spent >= this.budget.remainingUsd) {
      this.crossed = true;
      this.onCrossed(spent);
    }
  }

  private observeStream(event: Fields, stream: string): void {
    if (event.type === "message_start" && isObject(event.message)) {
      const { id, model } = event.message;
      const usage = Usage.safeParse(event.message.usage);
      if (typeof id !== "string" || typeof model !== "string" || !usage.success) return;
      this.streaming.set(stream, id);
      this.update(id, model, usage.data);
    } else if (event.type === "message_delta") {
      const id = this.streaming.get(stream);
      const known = id === undefined ? undefined : this.messages.get(id);
      const usage = Usage.safeParse(event.usage);
      if (id && known && usage.success) this.update(id, known.model, usage.data);
    }
  }

  /** Usage only grows while a message streams: each count keeps its highest report. */
  private update(id: string, model: string, usage: Usage): void {
    const reported = tokensOf(usage);
    const known = this.messages.get(id)?.tokens;
    const tokens: TokenCounts = known
      ? {
          input: Math.max(known.input, reported.input),
          output: Math.max(known.output, reported.output),
          cacheRead: Math.max(known.cacheRead, reported.cacheRead),
          cacheCreation: Math.max(known.cacheCreation, reported.cacheCreation),
        }
      : reported;
    this.messages.set(id, { model, tokens });
  }
}
