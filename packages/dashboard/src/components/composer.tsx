import { useRef, useState } from "preact/hooks";
import { app } from "../app-instance.ts";
import { messageOf } from "../api/errors.ts";
import { checkAttachments } from "../logic/attachments.ts";
import { describeFiles } from "../logic/read-head.ts";

function PaperclipIcon() {
  return (
    <svg viewBox="0 0 24 24" width="20" height="20" aria-hidden="true" focusable="false">
      <path
        d="M21 11.5 12.5 20a5 5 0 0 1-7-7l8.5-8.5a3.3 3.3 0 0 1 4.7 4.7L10.2 17.7a1.7 1.7 0 0 1-2.4-2.4L15.5 7.6"
        fill="none"
        stroke="currentColor"
        stroke-width="2"
        stroke-linecap="round"
        stroke-linejoin="round"
      />
    </svg>
  );
}

/** Message box with attachments: Enter sends, Shift+Enter is a newline, files by paperclip or drop. */
export function Composer() {
  const [text, setText] = useState("");
  const [files, setFiles] = useState<File[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [sending, setSending] = useState(false);
  const [dragging, setDragging] = useState(false);
  const fileInput = useRef<HTMLInputElement>(null);
  const textarea = useRef<HTMLTextAreaElement>(null);

  const addFiles = async (added: readonly File[]) => {
    if (added.length === 0) return;
    const next = [...files, ...added];
    const problem = checkAttachments(await describeFiles(next));
    setError(problem);
    if (!problem) setFiles(next);
  };

  const removeFile = (index: number) => {
    setFiles(files.filter((_, i) => i !== index));
    setError(null);
  };

  const send = async () => {
    if (sending || (text.trim() === "" && files.length === 0)) return;
    const problem = checkAttachments(await describeFiles(files));
    if (problem) return setError(problem);
    setSending(true);
    setError(null);
    try {
      await app.send(text, files);
      setText("");
      setFiles([]);
      textarea.current?.focus();
    } catch (err) {
      setError(messageOf(err));
    } finally {
      setSending(false);
    }
  };

  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      void send();
    }
  };

  const onDrop = (event: DragEvent) => {
    event.preventDefault();
    setDragging(false);
    void addFiles([...(event.dataTransfer?.files ?? [])]);
  };

  return (
    <form
      class={`composer ${dragging ? "dragging" : ""}`}
      onSubmit={(e) => {
        e.preventDefault();
        void send();
      }}
      onDragOver={(e) => {
        e.preventDefault();
        setDragging(true);
      }}
      onDragLeave={() => setDragging(false)}
      onDrop={onDrop}
    >
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      {files.length > 0 && (
        <ul class="chosen-files" aria-label="Files to send">
          {files.map((file, i) => (
            <li key={`${file.name}-${i}`}>
              <span>{file.name}</span>
              <span class="muted">{Math.ceil(file.size / 1024)} KB</span>
              <button type="button" class="quiet icon" aria-label={`Remove ${file.name}`} onClick={() => removeFile(i)}>
                ×
              </button>
            </li>
          ))}
        </ul>
      )}
      <div class="composer-row">
        <button type="button" class="quiet icon" aria-label="Attach files" title="Attach files (or drop them here)" onClick={() => fileInput.current?.click()}>
          <PaperclipIcon />
        </button>
        <input
          ref={fileInput}
          type="file"
          multiple
          hidden
          aria-label="Files to attach"
          accept="image/jpeg,image/png,image/gif,image/webp,text/plain,text/csv,application/json,.txt,.md,.log,.csv,.json"
          onChange={(e) => {
            const chosen = [...(e.currentTarget.files ?? [])];
            e.currentTarget.value = "";
            void addFiles(chosen);
          }}
        />
        <textarea
          ref={textarea}
          aria-label="Message"
          placeholder="Message (Enter sends, Shift+Enter for a new line)"
          rows={2}
          value={text}
          onInput={(e) => setText(e.currentTarget.value)}
          onKeyDown={onKeyDown}
        />
        <button type="submit" class="primary" disabled={sending}>
          Send
        </button>
      </div>
    </form>
  );
}
