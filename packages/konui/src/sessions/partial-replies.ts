interface Partial {
  text: string;
  /** Text deltas arrived, so the assistant events' text is not needed as a fallback. */
  streamed: boolean;
  /** The model message being written now, and the one the text so far ends with. */
  currentMessage: string | undefined;
  lastMessage: string | undefined;
}

/** Between the texts of two model messages, as konsole joins them for a recovered reply. */
const MESSAGE_GAP = "\n\n";

/**
 * The reply of each running turn as produced so far, in memory only (the final message is
 * stored). Appends answer the piece as it goes out and the offset it starts at.
 */
export class PartialReplies {
  private readonly turns = new Map<string, Partial>();

  /** A model message starts streaming (`message_start`). */
  startMessage(turnId: string, messageId: string | undefined): void {
    this.partialOf(turnId).currentMessage = messageId;
  }

  appendDelta(turnId: string, piece: string): { text: string; offset: number } {
    const partial = this.partialOf(turnId);
    partial.streamed = true;
    return this.append(partial, piece, partial.currentMessage);
  }

  /** An assistant event's text, unless deltas already carried it. */
  appendFallback(turnId: string, piece: string, messageId: string | undefined): { text: string; offset: number } | undefined {
    const partial = this.partialOf(turnId);
    return partial.streamed ? undefined : this.append(partial, piece, messageId);
  }

  text(turnId: string): string {
    return this.turns.get(turnId)?.text ?? "";
  }

  end(turnId: string): void {
    this.turns.delete(turnId);
  }

  private partialOf(turnId: string): Partial {
    let partial = this.turns.get(turnId);
    if (!partial) {
      partial = { text: "", streamed: false, currentMessage: undefined, lastMessage: undefined };
      this.turns.set(turnId, partial);
    }
    return partial;
  }

  private append(partial: Partial, piece: string, messageId: string | undefined): { text: string; offset: number } {
    const offset = partial.text.length;
    const newMessage = messageId !== undefined && partial.lastMessage !== undefined && messageId !== partial.lastMessage;
    const text = newMessage && partial.text.length > 0 ? `${MESSAGE_GAP}${piece}` : piece;
    partial.text += text;
    if (messageId !== undefined) partial.lastMessage = messageId;
    return { text, offset };
  }
}
