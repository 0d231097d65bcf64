import { useState } from "preact/hooks";
import { messageOf } from "../api/errors.ts";
import { ErrorNote } from "./error-note.tsx";

interface Props {
  title: string | null;
  onSave(title: string | null): Promise<void>;
  onDone(): void;
}

/** Inline rename; an empty title clears it ("Untitled session"). */
export function RenameForm({ title, onSave, onDone }: Props) {
  const [value, setValue] = useState(title ?? "");
  const [error, setError] = useState<string | null>(null);
  const submit = async (event: Event) => {
    event.preventDefault();
    try {
      await onSave(value.trim() === "" ? null : value.trim());
      onDone();
    } catch (err) {
      setError(messageOf(err));
    }
  };
  return (
    <form class="inline-form" onSubmit={submit}>
      <label>
        Session title
        <input
          value={value}
          maxLength={200}
          ref={(el) => el?.focus()}
          onInput={(e) => setValue(e.currentTarget.value)}
          onKeyDown={(e) => e.key === "Escape" && onDone()}
        />
      </label>
      <button type="submit" class="primary">
        Save
      </button>
      <button type="button" class="quiet" onClick={onDone}>
        Cancel
      </button>
      <ErrorNote message={error} />
    </form>
  );
}
