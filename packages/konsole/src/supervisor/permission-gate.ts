import {
  allowRulesOf,
  ApiError,
  buildPermissionResponse,
  CanUseToolRequest,
  evaluateRules,
  PermissionAnswer,
  TurnPermissions,
  type ClaudeLine,
  type JournalPayload,
  type ParsedPermissionAnswer,
  type PermissionRequest,
  type PolicyVerdict,
} from "@kon/protocol";
import type { ClaudeProcess } from "../claude/claude-process.ts";
import type { Logger } from "../logger.ts";

export interface PermissionGateOptions {
  permissions: TurnPermissions | undefined;
  /** Journals one entry of this turn. */
  journal(payload: JournalPayload): void;
  logger: Logger;
}

interface Waiting {
  input: Record<string, unknown>;
}

/** Said to the agent when a call is outside its tools and nobody may be asked. */
function notAllowedMessage(toolName: string): string {
  return `${toolName} is not allowed for this agent, and nobody can be asked to approve it in this turn.`;
}

/**
 * Answers one turn's `can_use_tool` requests: deny rules, then allow rules, at once; anything
 * else is journaled as a `permission` entry and waits until `answer` writes what a person (via
 * konui) decided. Requests still waiting when the turn ends are dropped with it.
 */
export class PermissionGate {
  private readonly allow: string[];
  private readonly deny: string[];
  private readonly ask: boolean;
  private readonly waiting = new Map<string, Waiting>();
  private process: ClaudeProcess | null = null;
  private cwd: string | null = null;
  private closed = false;

  constructor(private readonly options: PermissionGateOptions) {
    const permissions = TurnPermissions.parse(options.permissions ?? {});
    this.allow = [...permissions.allow];
    this.deny = [...permissions.deny];
    this.ask = permissions.ask;
  }

  /** The process this turn's prompt runs on; answers go to its stdin. */
  bind(process: ClaudeProcess, cwd: string): void {
    this.process = process;
    this.cwd = cwd;
  }

  /** Requests waiting for an answer, by the CLI's request id. */
  get pending(): string[] {
    return [...this.waiting.keys()];
  }

  /** Looks at every stdout line of the turn; answers or parks `can_use_tool` requests. */
  observe(line: ClaudeLine): void {
    if (line.kind !== "event" || line.event.type !== "control_request" || this.closed) return;
    const parsed = CanUseToolRequest.safeParse(line.event.request);
    if (!parsed.success) return;
    const requestId = line.event.request_id;
    const request = parsed.data;
    const ruled = evaluateRules({ allow: this.allow, deny: this.deny }, { toolName: request.tool_name, input: request.input, cwd: this.cwd ?? undefined });
    const verdict: PolicyVerdict = ruled.decision === "ask" && !this.ask ? { decision: "deny", rule: null } : ruled;
    if (verdict.decision === "allow") this.write(requestId, { behavior: "allow" }, request.input);
    else if (verdict.decision === "deny") {
      const message = verdict.rule ? `Denied by this agent's policy (${verdict.rule}).` : notAllowedMessage(request.tool_name);
      this.write(requestId, { behavior: "deny", message, interrupt: false }, request.input);
    } else this.waiting.set(requestId, { input: request.input });
    const entry: PermissionRequest = {
      requestId,
      toolName: request.tool_name,
      toolUseId: request.tool_use_id ?? null,
      input: request.input,
      suggestions: request.permission_suggestions ?? [],
      reason: request.decision_reason ?? null,
      verdict,
      cwd: this.cwd,
    };
    this.options.journal({ type: "permission", request: entry });
  }

  /** Writes a person's answer to a waiting request: 404 when none waits under that id, 409 when stdin is gone. */
  answer(requestId: string, given: PermissionAnswer): void {
    const waiting = this.waiting.get(requestId);
    if (!waiting || this.closed) throw new ApiError("not_found", `No permission request ${requestId} is waiting in this turn`);
    const answer = PermissionAnswer.parse(given);
    this.waiting.delete(requestId);
    if (answer.behavior === "allow" && answer.updatedPermissions) this.allow.push(...allowRulesOf(answer.updatedPermissions));
    if (!this.write(requestId, answer, waiting.input)) {
      throw new ApiError("conflict", "The process can no longer take an answer (it has ended)");
    }
  }

  /** The turn is over: nothing waits any more. */
  close(): void {
    this.closed = true;
    this.waiting.clear();
  }

  private write(requestId: string, answer: ParsedPermissionAnswer, askedInput: Record<string, unknown>): boolean {
    const line = `${JSON.stringify(buildPermissionResponse(requestId, answer, askedInput))}\n`;
    const written = this.process?.write(line) ?? false;
    if (!written) this.options.logger.warn({ requestId }, "could not write a permission answer: stdin is gone");
    return written;
  }
}
