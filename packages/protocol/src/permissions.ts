import { z } from "zod";

// The CLI's tool permission protocol (`--permission-prompt-tool stdio`) and the permission rules
// konsole evaluates before anyone is asked. konsole and konui's dry-run share `evaluateRules`.

/** A rule in the CLI's own syntax: `Bash`, `Bash(git status:*)`, `Edit(src/**)`, `WebFetch(domain:example.com)`. */
export const PermissionRule = z.string().trim().min(1).max(500);

export const PermissionRules = z.object({
  allow: z.array(PermissionRule).max(500).default([]),
  deny: z.array(PermissionRule).max(500).default([]),
});
export type PermissionRules = z.input<typeof PermissionRules>;

export const PolicyVerdict = z.object({ decision: z.enum(["allow", "deny", "ask"]), rule: z.string().nullable() });
export type PolicyVerdict = z.infer<typeof PolicyVerdict>;

/** The `request` of a `can_use_tool` control request, as the CLI sends it (tolerant). */
export const CanUseToolRequest = z.looseObject({
  subtype: z.literal("can_use_tool"),
  tool_name: z.string(),
  input: z.record(z.string(), z.unknown()).default({}),
  permission_suggestions: z.array(z.unknown()).nullish(),
  tool_use_id: z.string().nullish(),
  decision_reason: z.string().nullish(),
  blocked_path: z.string().nullish(),
});
export type CanUseToolRequest = z.infer<typeof CanUseToolRequest>;

/** One entry of the CLI's `updatedPermissions` (e.g. `{type:"addRules", rules:[…], behavior:"allow", destination:"session"}`). */
export const PermissionUpdate = z.looseObject({ type: z.string() });
export type PermissionUpdate = z.infer<typeof PermissionUpdate>;

/** What the host answers a `can_use_tool` with. */
export const PermissionAnswer = z.discriminatedUnion("behavior", [
  z.object({
    behavior: z.literal("allow"),
    /** The input the tool runs with; omitted = as asked. */
    updatedInput: z.record(z.string(), z.unknown()).optional(),
    updatedPermissions: z.array(PermissionUpdate).max(50).optional(),
  }),
  z.object({
    behavior: z.literal("deny"),
    message: z.string().min(1).max(10_000),
    /** true also stops the whole prompt. */
    interrupt: z.boolean().default(false),
  }),
]);
export type PermissionAnswer = z.input<typeof PermissionAnswer>;
export type ParsedPermissionAnswer = z.output<typeof PermissionAnswer>;

export function buildInitializeRequest(requestId: string) {
  return { type: "control_request", request_id: requestId, request: { subtype: "initialize" } } as const;
}

/** The control_response line answering the CLI's `can_use_tool` `requestId`, allow carrying the input it runs with. */
export function buildPermissionResponse(requestId: string, answer: ParsedPermissionAnswer, askedInput: Record<string, unknown>) {
  const response =
    answer.behavior === "allow"
      ? {
          behavior: "allow" as const,
          updatedInput: answer.updatedInput ?? askedInput,
          ...(answer.updatedPermissions ? { updatedPermissions: answer.updatedPermissions } : {}),
        }
      : { behavior: "deny" as const, message: answer.message, interrupt: answer.interrupt };
  return { type: "control_response", response: { subtype: "success", request_id: requestId, response } } as const;
}

// ---- rule matching ----

interface ParsedRule {
  tool: string;
  content: string | null;
}

export function parseRule(rule: string): ParsedRule {
  const trimmed = rule.trim();
  const open = trimmed.indexOf("(");
  if (open <= 0 || !trimmed.endsWith(")")) return { tool: trimmed, content: null };
  const content = trimmed.slice(open + 1, -1).trim();
  return { tool: trimmed.slice(0, open), content: content === "" || content === "*" ? null : content };
}

const FILE_EDIT_TOOLS = new Set(["Edit", "MultiEdit", "Write", "NotebookEdit"]);
const FILE_READ_TOOLS = new Set(["Read", "Glob", "Grep", "LS"]);
/** Questions are for people: no allow rule answers them. */
const NEVER_AUTO_ALLOWED = new Set(["AskUserQuestion"]);

/** Which tools a rule's tool name covers: an `Edit` rule covers every file edit, a `Read` rule every read. */
function ruleCovers(ruleTool: string, toolName: string): boolean {
  if (ruleTool === toolName) return true;
  if (ruleTool === "Edit") return FILE_EDIT_TOOLS.has(toolName);
  if (ruleTool === "Read") return FILE_READ_TOOLS.has(toolName);
  return false;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.+^${}()|[\]\\]/g, "\\$&");
}

/** A path glob: `**` crosses directories, `*` and `?` do not. */
function globToRegExp(glob: string): RegExp {
  let pattern = "";
  for (let i = 0; i < glob.length; i += 1) {
    const char = glob[i] as string;
    if (char === "*" && glob[i + 1] === "*") {
      i += 1;
      if (glob[i + 1] === "/") {
        i += 1;
        pattern += "(?:.*/)?";
      } else pattern += ".*";
    } else if (char === "*") pattern += "[^/]*";
    else if (char === "?") pattern += "[^/]";
    else pattern += escapeRegExp(char);
  }
  return new RegExp(`^${pattern}$`);
}

/** Shell commands chained in one Bash call; each must be allowed on its own. */
function commandParts(command: string): string[] {
  return command
    .split(/&&|\|\||;|\||\n/)
    .map((part) => part.trim())
    .filter((part) => part.length > 0);
}

function commandMatches(content: string, command: string): boolean {
  if (content.endsWith(":*")) {
    const prefix = content.slice(0, -2).trim();
    return command === prefix || command.startsWith(`${prefix} `);
  }
  if (content.includes("*")) return new RegExp(`^${content.split("*").map(escapeRegExp).join(".*")}$`).test(command);
  return command === content;
}

function pathMatches(content: string, filePath: string, cwd: string | undefined): boolean {
  let pattern = content;
  if (pattern.startsWith("//")) pattern = pattern.slice(1);
  else if (pattern.startsWith("./")) pattern = pattern.slice(2);
  const regex = globToRegExp(pattern);
  if (regex.test(filePath)) return true;
  if (!pattern.startsWith("/") && cwd && filePath.startsWith(`${cwd.replace(/\/$/, "")}/`)) {
    return regex.test(filePath.slice(cwd.replace(/\/$/, "").length + 1));
  }
  return false;
}

function stringField(input: Record<string, unknown>, ...names: string[]): string | undefined {
  for (const name of names) {
    const value = input[name];
    if (typeof value === "string") return value;
  }
  return undefined;
}

function domainMatches(content: string, url: string | undefined): boolean {
  if (!content.startsWith("domain:") || url === undefined) return false;
  const domain = content.slice("domain:".length).trim().toLowerCase();
  try {
    const host = new URL(url).hostname.toLowerCase();
    return host === domain || host.endsWith(`.${domain}`);
  } catch {
    return false;
  }
}

/** Whether one rule matches one call; `part` is one command of a chained Bash call. */
function ruleMatches(rule: ParsedRule, toolName: string, input: Record<string, unknown>, cwd: string | undefined, part?: string): boolean {
  if (!ruleCovers(rule.tool, toolName)) return false;
  if (rule.content === null) return true;
  if (toolName === "Bash") return part !== undefined && commandMatches(rule.content, part);
  if (FILE_EDIT_TOOLS.has(toolName) || FILE_READ_TOOLS.has(toolName)) {
    const filePath = stringField(input, "file_path", "notebook_path", "path");
    return filePath !== undefined && pathMatches(rule.content, filePath, cwd);
  }
  if (toolName === "WebFetch") return domainMatches(rule.content, stringField(input, "url"));
  return false;
}

export interface RuleCall {
  toolName: string;
  input: Record<string, unknown>;
  /** The agent's working directory, for relative path rules. */
  cwd?: string | undefined;
}

/**
 * What `rules` decide for one tool call: a deny rule wins, then an allow rule, else ask. A
 * chained Bash command is denied when any part is, and allowed only when every part is (and it
 * runs no command substitution).
 */
export function evaluateRules(rules: { allow: readonly string[]; deny: readonly string[] }, call: RuleCall): PolicyVerdict {
  const { toolName, input, cwd } = call;
  const command = toolName === "Bash" ? (stringField(input, "command") ?? "") : undefined;
  const parts = command === undefined ? [undefined] : commandParts(command);
  for (const rule of rules.deny) {
    const parsed = parseRule(rule);
    if (parts.some((part) => ruleMatches(parsed, toolName, input, cwd, part))) return { decision: "deny", rule };
  }
  if (NEVER_AUTO_ALLOWED.has(toolName)) return { decision: "ask", rule: null };
  if (command !== undefined && (/\$\(|`/.test(command) || parts.length === 0)) return { decision: "ask", rule: null };
  const parsedAllow = rules.allow.map((rule) => ({ rule, parsed: parseRule(rule) }));
  let decidingRule: string | null = null;
  for (const part of parts) {
    const match = parsedAllow.find(({ parsed }) => ruleMatches(parsed, toolName, input, cwd, part));
    if (!match) return { decision: "ask", rule: null };
    decidingRule ??= match.rule;
  }
  return { decision: "allow", rule: decidingRule };
}

/**
 * The session-scoped rule an "always allow" adds when the CLI suggested none: the exact command
 * for Bash, the tool as a whole otherwise.
 */
export function alwaysAllowRule(toolName: string, input: Record<string, unknown>): { toolName: string; ruleContent?: string } {
  const command = toolName === "Bash" ? stringField(input, "command") : undefined;
  return command === undefined ? { toolName } : { toolName, ruleContent: command };
}

/** The rule strings (`Tool` / `Tool(content)`) an `updatedPermissions` list adds as allow rules. */
export function allowRulesOf(updates: readonly PermissionUpdate[]): string[] {
  const rules: string[] = [];
  for (const update of updates) {
    if (update.type !== "addRules" || update.behavior !== "allow" || !Array.isArray(update.rules)) continue;
    for (const entry of update.rules as unknown[]) {
      if (typeof entry !== "object" || entry === null) continue;
      const { toolName, ruleContent } = entry as { toolName?: unknown; ruleContent?: unknown };
      if (typeof toolName !== "string") continue;
      rules.push(typeof ruleContent === "string" && ruleContent.length > 0 ? `${toolName}(${ruleContent})` : toolName);
    }
  }
  return rules;
}
