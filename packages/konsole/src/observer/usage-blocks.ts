import type { ObservedUsage, UsageBlock } from "@kon/protocol";
import { addUsage, emptyUsage } from "./observer-store.ts";

const BLOCK_MS = 5 * 60 * 60_000;
const HOUR_MS = 60 * 60_000;

export interface BlockEntry {
  at: string;
  model: string;
  usage: ObservedUsage;
}

const totalTokens = (usage: ObservedUsage): number =>
  usage.tokens.input + usage.tokens.output + usage.tokens.cacheRead + usage.tokens.cacheWrite5m + usage.tokens.cacheWrite1h;

interface OpenBlock {
  start: number;
  first: number;
  last: number;
  usage: ObservedUsage;
  models: Set<string>;
}

function closeBlock(block: OpenBlock, now: number): UsageBlock {
  const end = block.start + BLOCK_MS;
  const isActive = now - block.last < BLOCK_MS && now < end;
  const minutes = (block.last - block.first) / 60_000;
  const burnRate = minutes > 0 ? { tokensPerMinute: totalTokens(block.usage) / minutes, costPerHour: (block.usage.costUsd / minutes) * 60 } : null;
  const remainingMinutes = Math.max(0, (end - now) / 60_000);
  return {
    start: new Date(block.start).toISOString(),
    end: new Date(end).toISOString(),
    lastActivityAt: new Date(block.last).toISOString(),
    isActive,
    isGap: false,
    usage: block.usage,
    models: [...block.models].sort(),
    burnRate,
    projection:
      isActive && burnRate
        ? {
            totalTokens: Math.round(totalTokens(block.usage) + burnRate.tokensPerMinute * remainingMinutes),
            costUsd: block.usage.costUsd + (burnRate.costPerHour / 60) * remainingMinutes,
            remainingMinutes: Math.round(remainingMinutes),
          }
        : null,
  };
}

function gapBlock(lastActivity: number, next: number): UsageBlock {
  return {
    start: new Date(lastActivity + BLOCK_MS).toISOString(),
    end: new Date(next).toISOString(),
    lastActivityAt: null,
    isActive: false,
    isGap: true,
    usage: emptyUsage(),
    models: [],
    burnRate: null,
    projection: null,
  };
}

/**
 * 5-hour blocks the way `ccusage blocks` cuts them: a block starts at the hour of its first
 * message and takes every message until one comes more than 5 h after the block's start or after
 * the previous message; a silence longer than 5 h shows as a gap. Entries in time order.
 */
export function usageBlocks(entries: Iterable<BlockEntry>, now: number): UsageBlock[] {
  const blocks: UsageBlock[] = [];
  let open: OpenBlock | null = null;
  for (const entry of entries) {
    const at = Date.parse(entry.at);
    if (open && (at - open.start > BLOCK_MS || at - open.last > BLOCK_MS)) {
      blocks.push(closeBlock(open, now));
      if (at - open.last > BLOCK_MS) blocks.push(gapBlock(open.last, at));
      open = null;
    }
    if (!open) open = { start: Math.floor(at / HOUR_MS) * HOUR_MS, first: at, last: at, usage: emptyUsage(), models: new Set() };
    open.last = at;
    addUsage(open.usage, entry.usage);
    open.models.add(entry.model);
  }
  if (open) blocks.push(closeBlock(open, now));
  return blocks;
}
