import type { Decision, Message, ToolCall } from "@kon/protocol";
import { ContinueTurn } from "./continue-turn.tsx";
import { DecisionList } from "./decision-card.tsx";
import { Link } from "./link.tsx";
import { memo } from "./memo.ts";
import { ToolCallList } from "./tool-call-item.tsx";
import { TurnFigures } from "./turn-figures.tsx";

interface Props {
  message: Message;
  toolCalls: readonly ToolCall[] | undefined;
  decisions: readonly Decision[] | undefined;
  agent: string;
  isAdmin: boolean;
}

const MEMORY_LOST =
  "The agent's earlier conversation could not be resumed, so it answered without it: the log above is intact, but the agent no longer remembers it.";
const RECOVERED =
  "The turn was cut short (its process or konsole restarted) and this reply was recovered from the agent's transcript.";

function timeOf(iso: string): string {
  const d = new Date(iso);
  return d.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
}

function MessageArticleView({ message, toolCalls, decisions, agent, isAdmin }: Props) {
  const mine = message.role === "user";
  return (
    <article class={`message ${mine ? "from-user" : "from-agent"} ${message.status === "failed" ? "failed" : ""}`}>
      <header class="message-head">
        <strong>{mine ? "You" : agent}</strong>
        <time dateTime={message.createdAt} title={new Date(message.createdAt).toLocaleString()}>
          {timeOf(message.createdAt)}
        </time>
        {message.memoryLost && (
          <span class="badge warn" title={MEMORY_LOST}>
            Memory lost
          </span>
        )}
        {message.recovered && (
          <span class="badge info" title={RECOVERED}>
            Recovered
          </span>
        )}
      </header>
      {!mine && <ToolCallList calls={toolCalls} />}
      {!mine && <DecisionList decisions={decisions} />}
      {message.text && <div class="text">{message.text}</div>}
      {message.attachments.length > 0 && (
        <ul class="attachments" aria-label="Attachments">
          {message.attachments.map((a) => (
            <li key={a.name + a.size}>
              📎 {a.name} <span class="muted">({Math.ceil(a.size / 1024)} KB)</span>
            </li>
          ))}
        </ul>
      )}
      {message.error && (
        <div class="turn-error">
          <p role="alert">{message.error.message}</p>
          {message.error.code === "max_turns" && message.turnId && <ContinueTurn turnId={message.turnId} />}
          {isAdmin && message.error.code === "max_turns" && (
            <Link href={`/admin/guardrails?agent=${encodeURIComponent(agent)}`}>Edit guardrails</Link>
          )}
        </div>
      )}
      {!mine && message.status !== "pending" && <TurnFigures message={message} />}
    </article>
  );
}

/** One message of the log; skipped on re-render unless its own data changed. */
export const MessageArticle = memo(MessageArticleView);
