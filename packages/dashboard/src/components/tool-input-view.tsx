import { toolInputView } from "../logic/decision-view.ts";
import { DiffView } from "./diff-view.tsx";

/** The full input of a tool call a person is asked about: a command, a diff, a file's content, or JSON. */
export function ToolInputView({ toolName, input }: { toolName: string; input: Record<string, unknown> }) {
  const view = toolInputView(toolName, input);
  switch (view.kind) {
    case "command":
      return (
        <div class="tool-input">
          {view.description && <p class="hint">{view.description}</p>}
          <pre class="code">
            <code>{view.command}</code>
          </pre>
        </div>
      );
    case "edit":
      return (
        <div class="tool-input">
          <p class="mono file-path">{view.path}</p>
          {view.edits.map((edit, i) => (
            <DiffView
              key={i}
              before={edit.before}
              after={edit.after}
              label={view.edits.length > 1 ? `Change ${i + 1} of ${view.edits.length} to ${view.path}` : `Change to ${view.path}`}
            />
          ))}
        </div>
      );
    case "write":
      return (
        <div class="tool-input">
          <p class="mono file-path">{view.path}</p>
          <pre class="code new-file">
            <code>{view.content}</code>
          </pre>
        </div>
      );
    case "json":
      return (
        <pre class="code tool-input">
          <code>{view.text}</code>
        </pre>
      );
  }
}
