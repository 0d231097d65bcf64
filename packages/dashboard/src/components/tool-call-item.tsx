import type { ToolCall } from "@kon/protocol";
import { formatToolInput, summarizeToolInput } from "../logic/tool-summary.ts";

/** One tool call, collapsed to "Name summary status"; open it for the full input and result. */
export function ToolCallItem({ call }: { call: ToolCall }) {
  const summary = summarizeToolInput(call.name, call.input);
  return (
    <details class={`tool tool-${call.status}`}>
      <summary>
        <span class="tool-name">{call.name}</span> <span class="tool-summary">{summary}</span>{" "}
        <span class={`tool-status status-${call.status}`}>{call.status}</span>
      </summary>
      <div class="tool-body">
        <h4>Input</h4>
        <pre>{formatToolInput(call.input)}</pre>
        <h4>Result</h4>
        {call.result === null ? (
          <p class="muted">{call.status === "running" ? "Still running…" : "No result."}</p>
        ) : (
          <pre>{call.result}</pre>
        )}
        {call.resultTruncated && <p class="muted small">The result was cut at 64 KB.</p>}
      </div>
    </details>
  );
}

export function ToolCallList({ calls }: { calls: readonly ToolCall[] | undefined }) {
  if (!calls || calls.length === 0) return null;
  return (
    <div class="tool-list">
      {calls.map((call) => (
        <ToolCallItem key={call.id} call={call} />
      ))}
    </div>
  );
}
