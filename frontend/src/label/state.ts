/** The annotation being edited: one object of field name -> value, with change listeners. */

import type { Values } from "./types";

type Listener = (values: Values, field: string | null) => void;

export class LabelState {
  private current: Values;
  private readonly listeners = new Set<Listener>();

  constructor(initial: Values) {
    this.current = structuredClone(initial);
  }

  get values(): Values {
    return this.current;
  }

  get(name: string): unknown {
    return this.current[name];
  }

  /** Set one field; `undefined` removes it (a draft may hold any subset of fields). */
  set(name: string, value: unknown): void {
    const next = { ...this.current };
    if (value === undefined) delete next[name];
    else next[name] = value;
    this.current = next;
    for (const listener of this.listeners) listener(this.current, name);
  }

  onChange(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
