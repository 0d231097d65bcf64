import type { z } from "zod";

type Listener<E> = (event: E) => void;

export interface EventBusOptions<E> {
  /** Parse every published event with this schema (tests): a publisher that breaks the contract throws. */
  check?: z.ZodType<E>;
  /** A subscriber that throws is reported here and never breaks the publisher or other subscribers. */
  onListenerError?: (error: unknown, event: E) => void;
}

/**
 * A synchronous, typed event bus: `publish` reaches every subscriber before it returns, in
 * subscription order, so subscribers see events in the order they happened.
 */
export class EventBus<E extends { type: string }> {
  private readonly byType = new Map<E["type"], Set<Listener<E>>>();
  private readonly any = new Set<Listener<E>>();

  constructor(private readonly options: EventBusOptions<E> = {}) {}

  publish(event: E): void {
    if (this.options.check) this.options.check.parse(event);
    const listeners = this.byType.get(event.type);
    if (listeners) for (const listener of [...listeners]) this.deliver(listener, event);
    for (const listener of [...this.any]) this.deliver(listener, event);
  }

  on<T extends E["type"]>(type: T, listener: Listener<Extract<E, { type: T }>>): () => void {
    const listeners = this.byType.get(type) ?? new Set<Listener<E>>();
    this.byType.set(type, listeners);
    const wrapped = listener as Listener<E>;
    listeners.add(wrapped);
    return () => {
      listeners.delete(wrapped);
    };
  }

  onAny(listener: Listener<E>): () => void {
    this.any.add(listener);
    return () => {
      this.any.delete(listener);
    };
  }

  /** How many subscribers an event of this type reaches (type-specific and catch-all). */
  listenerCount(type: E["type"]): number {
    return (this.byType.get(type)?.size ?? 0) + this.any.size;
  }

  private deliver(listener: Listener<E>, event: E): void {
    try {
      listener(event);
    } catch (error) {
      if (this.options.onListenerError) this.options.onListenerError(error, event);
      else throw error;
    }
  }
}
