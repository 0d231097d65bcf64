import type { CostSource, ModelUsage, ResultEvent, TokenCounts, TurnFigures } from "@kon/protocol";
import { contextWindowOf, costOf } from "./pricing.ts";
import { tokensOf, type TurnAccumulator } from "./turn-accumulator.ts";

export interface TurnCost {
  costUsd: number | null;
  costSource: CostSource;
}

export interface CostContext {
  /** The conversation's running total after its previous result, when known. */
  previousTotalUsd: number | undefined;
  /** The turn started this conversation, so its running total is its own cost. */
  newConversation: boolean;
  /** The turn's cost according to the transcript's `cost-state`, for a turn without a result. */
  transcriptCostUsd?: number | undefined;
}

const round = (usd: number): number => Math.round(usd * 1e12) / 1e12;

function sumModelUsage(usage: ModelUsage): { tokens: TokenCounts; costUsd: number | undefined } {
  const tokens: TokenCounts = { input: 0, output: 0, cacheRead: 0, cacheCreation: 0 };
  let costUsd: number | undefined = 0;
  for (const entry of Object.values(usage)) {
    tokens.input += entry.inputTokens;
    tokens.output += entry.outputTokens;
    tokens.cacheRead += entry.cacheReadInputTokens;
    tokens.cacheCreation += entry.cacheCreationInputTokens;
    costUsd = entry.costUSD === undefined || costUsd === undefined ? undefined : costUsd + entry.costUSD;
  }
  return { tokens, costUsd };
}

/** The turn's own token counts: the CLI's per-turn figures, else the usage its messages reported. */
function turnTokens(accumulator: TurnAccumulator): TokenCounts {
  const result = accumulator.result;
  if (result?.model_usage_since_last_result) return sumModelUsage(result.model_usage_since_last_result).tokens;
  if (result?.usage) return tokensOf(result.usage);
  return accumulator.usageTotals;
}

function costFromUsage(accumulator: TurnAccumulator): TurnCost | undefined {
  const result = accumulator.result;
  if (result?.usage && accumulator.model) {
    const usd = costOf(accumulator.model, turnTokens(accumulator));
    return usd === undefined ? { costUsd: null, costSource: "unknown" } : { costUsd: round(usd), costSource: "usage" };
  }
  if (accumulator.messageUsage.size === 0) return undefined;
  let total = 0;
  for (const { model, tokens } of accumulator.messageUsage.values()) {
    const usd = model === null ? undefined : costOf(model, tokens);
    if (usd === undefined) return { costUsd: null, costSource: "unknown" };
    total += usd;
  }
  return { costUsd: round(total), costSource: "usage" };
}

function costFromResult(result: ResultEvent, context: CostContext): TurnCost | undefined {
  const since = result.model_usage_since_last_result;
  if (since) {
    const { costUsd } = sumModelUsage(since);
    if (costUsd !== undefined) return { costUsd: round(costUsd), costSource: "cli" };
  }
  if (context.newConversation) return { costUsd: round(result.total_cost_usd), costSource: "cli" };
  if (context.previousTotalUsd !== undefined) {
    return { costUsd: round(Math.max(0, result.total_cost_usd - context.previousTotalUsd)), costSource: "cli_delta" };
  }
  return undefined;
}

/**
 * The turn's own cost, never a running total: the CLI's per-turn figure, else the difference
 * from the conversation's previous total, else priced from usage, else the transcript.
 */
function turnCost(accumulator: TurnAccumulator, context: CostContext): TurnCost {
  const fromResult = accumulator.result ? costFromResult(accumulator.result, context) : undefined;
  if (fromResult) return fromResult;
  const fromUsage = costFromUsage(accumulator);
  if (fromUsage && fromUsage.costSource !== "unknown") return fromUsage;
  if (context.transcriptCostUsd !== undefined) return { costUsd: round(context.transcriptCostUsd), costSource: "transcript" };
  return fromUsage ?? { costUsd: null, costSource: "unknown" };
}

function lastCacheRatio(accumulator: TurnAccumulator): number | null {
  const last = accumulator.lastAssistantUsage;
  const model = last?.model ?? accumulator.model;
  if (!last || !model) return null;
  const window = accumulator.result?.modelUsage[model]?.contextWindow ?? contextWindowOf(model);
  if (!window) return null;
  return (last.tokens.cacheRead + last.tokens.cacheCreation) / window;
}

export function buildTurnFigures(accumulator: TurnAccumulator, endedAt: number, context: CostContext): TurnFigures {
  accumulator.finish(endedAt);
  const totalMs = Math.max(0, endedAt - accumulator.promptWrittenAt);
  const toolMs = Math.min(totalMs, accumulator.toolMs);
  const cost = turnCost(accumulator, context);
  return {
    totalMs: Math.round(totalMs),
    ttfeMs: accumulator.firstOutputAt === null ? null : Math.round(accumulator.firstOutputAt - accumulator.promptWrittenAt),
    modelMs: Math.round(totalMs - toolMs),
    toolMs: Math.round(toolMs),
    toolCallCount: accumulator.toolCallCount,
    costUsd: cost.costUsd,
    costSource: cost.costSource,
    tokens: turnTokens(accumulator),
    model: accumulator.model,
    numTurns: accumulator.result?.num_turns ?? accumulator.assistantMessageCount,
    lastCacheRatio: lastCacheRatio(accumulator),
    compactions: accumulator.compactions,
  };
}
