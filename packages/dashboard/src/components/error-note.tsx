interface Props {
  message: string | null | undefined;
  id?: string;
}

/** An error shown where it happened. */
export function ErrorNote({ message, id }: Props) {
  if (!message) return null;
  return (
    <p class="error" role="alert" id={id}>
      {message}
    </p>
  );
}
