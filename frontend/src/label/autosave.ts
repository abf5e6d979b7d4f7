/**
 * Debounced autosave. Every new save gets a fresh Idempotency-Key; a retry of the same save
 * (network error, 5xx) re-sends the same key and body, so the server stores it at most once.
 * Edits are mirrored in localStorage until the server confirms them. A stale save (409) hands
 * both versions to `onConflict`, which decides whether the annotator's values are re-based on
 * the latest revision or replaced by it.
 */

import { pendingClear, pendingWrite, type PendingEdit } from "./pendingStore";
import { newKey, putRevision, type SaveOutcome } from "./saveClient";
import type { LabelState } from "./state";
import type { Revision, Values } from "./types";

export type SaveStatus = "saved" | "dirty" | "saving" | "offline" | "error" | "conflict";

export interface AutosaveHooks {
  onStatus(status: SaveStatus, text: string): void;
  onConflict(mine: Values, latest: Revision | null): Promise<"keep" | "take">;
  onSubmitted(revision: Revision): void;
}

const DEBOUNCE_MS = 700;
const MAX_BACKOFF_MS = 30_000;

interface InFlight {
  base: number | null;
  values: Values;
  submit: boolean;
  key: string;
}

export class Autosave {
  private timer: number | undefined;
  private retryTimer: number | undefined;
  private backoff = 1000;
  private inFlight: Promise<void> | null = null;
  private attempt: InFlight | null = null;
  private confirmed: string;
  private stopped = false;

  constructor(
    private readonly assignmentId: number,
    private readonly state: LabelState,
    private base: number | null,
    private readonly hooks: AutosaveHooks,
    confirmedValues: Values,
  ) {
    this.confirmed = JSON.stringify(confirmedValues);
    state.onChange(() => this.changed());
  }

  get baseRevision(): number | null {
    return this.base;
  }

  /** Resume an edit found in localStorage: same key if it had been sent, so a duplicate is recognised. */
  resume(edit: PendingEdit): void {
    if (edit.key) this.attempt = { base: edit.base, values: edit.values, submit: edit.submit, key: edit.key };
    this.base = edit.base;
    this.hooks.onStatus("dirty", "Unsaved changes restored");
    void this.flush();
  }

  get dirty(): boolean {
    return JSON.stringify(this.state.values) !== this.confirmed;
  }

  private changed(): void {
    pendingWrite(this.assignmentId, { base: this.base, values: this.state.values, submit: false, key: null });
    this.hooks.onStatus("dirty", "Unsaved changes");
    window.clearTimeout(this.timer);
    this.timer = window.setTimeout(() => void this.flush(), DEBOUNCE_MS);
  }

  /** Save now (e.g. before leaving); resolves when the state on screen is on the server or failed. */
  async flush(submit = false): Promise<SaveOutcome | null> {
    window.clearTimeout(this.timer);
    while (this.inFlight) await this.inFlight;
    if (this.stopped) return null;
    if (!submit && !this.dirty && !this.attempt) {
      pendingClear(this.assignmentId);
      return null;
    }
    const values = this.state.values;
    const attempt = this.sameAsAttempt(values, submit)
      ? (this.attempt as InFlight)
      : { base: this.base, values, submit, key: newKey() };
    this.attempt = attempt;
    pendingWrite(this.assignmentId, attempt);
    this.hooks.onStatus("saving", submit ? "Submitting…" : "Saving…");
    let outcome: SaveOutcome | null = null;
    this.inFlight = (async () => {
      outcome = await putRevision(this.assignmentId, attempt);
      await this.handle(outcome, attempt);
    })();
    try {
      await this.inFlight;
    } finally {
      this.inFlight = null;
    }
    return outcome;
  }

  stop(): void {
    this.stopped = true;
    window.clearTimeout(this.timer);
    window.clearTimeout(this.retryTimer);
  }

  private sameAsAttempt(values: Values, submit: boolean): boolean {
    const attempt = this.attempt;
    return (
      attempt !== null &&
      attempt.submit === submit &&
      attempt.base === this.base &&
      JSON.stringify(attempt.values) === JSON.stringify(values)
    );
  }

  private async handle(outcome: SaveOutcome, attempt: InFlight): Promise<void> {
    if (outcome.kind === "retry") {
      this.hooks.onStatus("offline", outcome.message);
      window.clearTimeout(this.retryTimer);
      this.retryTimer = window.setTimeout(() => void this.flush(attempt.submit), this.backoff);
      this.backoff = Math.min(this.backoff * 2, MAX_BACKOFF_MS);
      return;
    }
    this.backoff = 1000;
    this.attempt = null;
    if (outcome.kind === "saved") {
      this.base = outcome.revision.number;
      this.confirmed = JSON.stringify(attempt.values);
      if (this.dirty) {
        pendingWrite(this.assignmentId, { base: this.base, values: this.state.values, submit: false, key: null });
        this.timer = window.setTimeout(() => void this.flush(), DEBOUNCE_MS);
        this.hooks.onStatus("dirty", "Unsaved changes");
      } else {
        pendingClear(this.assignmentId);
        const word = attempt.submit ? "Submitted" : "Saved";
        this.hooks.onStatus("saved", `${word} · revision ${outcome.revision.number}`);
      }
      if (attempt.submit) this.hooks.onSubmitted(outcome.revision);
      return;
    }
    if (outcome.kind === "stale") {
      this.hooks.onStatus("conflict", "A newer version exists on the server");
      const choice = await this.hooks.onConflict(this.state.values, outcome.latest);
      this.base = outcome.latest ? outcome.latest.number : null;
      if (choice === "keep") {
        pendingWrite(this.assignmentId, { base: this.base, values: this.state.values, submit: false, key: null });
        this.confirmed = JSON.stringify(outcome.latest?.values ?? {});
        window.setTimeout(() => void this.flush(attempt.submit), 0);
      } else {
        pendingClear(this.assignmentId);
        this.confirmed = JSON.stringify(outcome.latest?.values ?? {});
        this.hooks.onStatus("saved", `Took revision ${this.base ?? "none"} from the server`);
      }
      return;
    }
    if (outcome.kind === "rejected") {
      const details = outcome.errors.map((e) => `${e.path}: ${e.message}`).join("; ");
      this.hooks.onStatus("error", `Not saved: ${details || outcome.message}`);
      return;
    }
    this.hooks.onStatus("error", `Not saved: ${outcome.message}`);
  }
}
