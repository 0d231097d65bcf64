interface Partial {
  text: string;
  /** Text deltas arrived, so the assistant events' text is not needed as a fallback. */
  streamed: boolean;
}

/** The reply of each running turn as produced so far, in memory only (the final message is stored). */
export class PartialReplies {
  private readonly turns = new Map<string, Partial>();

  /** Appends a text delta; answers the offset it starts at. */
  appendDelta(turnId: string, piece: string): number {
    const partial = this.partialOf(turnId);
    partial.streamed = true;
    return this.append(partial, piece);
  }

  /** Appends an assistant event's text unless deltas already carried it; answers its offset, or undefined. */
  appendFallback(turnId: string, piece: string): number | undefined {
    const partial = this.partialOf(turnId);
    return partial.streamed ? undefined : this.append(partial, piece);
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
      partial = { text: "", streamed: false };
      this.turns.set(turnId, partial);
    }
    return partial;
  }

  private append(partial: Partial, piece: string): number {
    const offset = partial.text.length;
    partial.text += piece;
    return offset;
  }
}
