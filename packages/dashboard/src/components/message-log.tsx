import { useState } from "preact/hooks";
import { app } from "../app-instance.ts";
import { messageOf } from "../api/errors.ts";
import { unplacedPending } from "../store/session-log.ts";
import { useStore } from "../store/use-store.ts";
import { DecisionList } from "./decision-card.tsx";
import { EmptyState } from "./empty-state.tsx";
import { ErrorNote } from "./error-note.tsx";
import { useFollowBottom } from "./follow-bottom.ts";
import { MessageArticle } from "./message-article.tsx";
import { StreamingReply } from "./streaming-reply.tsx";

export function MessageLog({ agent }: { agent: string }) {
  const messages = useStore(app.store, (s) => s.log?.messages);
  const toolCalls = useStore(app.store, (s) => s.log?.toolCalls);
  const decisions = useStore(app.store, (s) => s.log?.decisions);
  const activeTurnId = useStore(app.store, (s) => s.log?.active?.turnId ?? null);
  const olderCursor = useStore(app.store, (s) => s.log?.olderCursor ?? null);
  const loaded = useStore(app.store, (s) => s.log?.session !== null || (s.log?.messages.length ?? 0) > 0);
  const isAdmin = useStore(app.store, (s) => s.user?.role === "admin");
  const [olderError, setOlderError] = useState<string | null>(null);
  const [loadingOlder, setLoadingOlder] = useState(false);
  useFollowBottom(messages?.length);

  const loadOlder = async () => {
    setLoadingOlder(true);
    setOlderError(null);
    const before = document.documentElement.scrollHeight;
    try {
      await app.loadOlder();
      // Keep the message the person was reading in place.
      window.scrollBy(0, document.documentElement.scrollHeight - before);
    } catch (err) {
      setOlderError(messageOf(err));
    } finally {
      setLoadingOlder(false);
    }
  };

  return (
    <div class="log" role="log" aria-label="Messages">
      {olderCursor && (
        <button type="button" class="quiet load-older" disabled={loadingOlder} onClick={() => void loadOlder()}>
          Load older messages
        </button>
      )}
      <ErrorNote message={olderError} />
      {messages && messages.length === 0 && loaded && <EmptyState>No messages yet. Write the first one below.</EmptyState>}
      {messages?.map((message) => (
        <MessageArticle
          key={message.id}
          message={message}
          toolCalls={message.turnId && message.role === "assistant" ? toolCalls?.[message.turnId] : undefined}
          decisions={message.turnId && message.role === "assistant" ? decisions?.[message.turnId] : undefined}
          agent={agent}
          isAdmin={isAdmin}
        />
      ))}
      <StreamingReply agent={agent} />
      {messages && decisions && <DecisionList decisions={unplacedPending(decisions, messages, activeTurnId)} />}
    </div>
  );
}
