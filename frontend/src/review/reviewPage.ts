/**
 * The review page: a queue of assignments (filtered by state and annotator), every annotator's
 * values for the selected item side by side, and the three verdicts the API offers.
 *
 * All assignments of the project are read once and filtered here, because the item's other
 * annotators must be shown whatever the filters say. Each verdict is one POST to
 * `/api/assignments/{id}/review/`; the answer replaces the local copy, and the queue moves on.
 * Annotation values come from the API and are shown as text only (see `values.ts`).
 */

import { ApiError, Refused, failureText, getJson, listOf, sendJson } from "../api";
import { byId, h, setText } from "../dom";
import { formatDuration } from "../format";
import {
  ALLOWED,
  STATE_LABELS,
  type AnnotationState,
  type AnnotatorProgress,
  type ReviewAssignment,
  type SchemaDefinition,
} from "./types";
import { describeValues } from "./values";

type Verdict = "accept" | "reject" | "adjudicate";

interface MediaDetail {
  kind: string;
  files: Record<string, string>;
}

const DONE_MESSAGES: Record<Verdict, string> = {
  accept: "Accepted",
  reject: "Sent back to",
  adjudicate: "Adjudicated",
};

function isTyping(target: EventTarget | null): boolean {
  return (
    target instanceof HTMLInputElement ||
    target instanceof HTMLTextAreaElement ||
    target instanceof HTMLSelectElement ||
    (target instanceof HTMLElement && target.isContentEditable)
  );
}

/** JSON with sorted keys, so two value objects compare equal whatever their key order. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === "object" && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b)))
      : v,
  );
}

export function itemName(assignment: ReviewAssignment): string {
  return assignment.item.original_name || `Item ${assignment.item.id}`;
}

export class ReviewPage {
  private all: ReviewAssignment[] = [];
  private shown: ReviewAssignment[] = [];
  private index = 0;
  private renderToken = 0;
  private busy = false;
  private readonly annotations = new Map<number, Promise<AnnotationState>>();
  private readonly schemas = new Map<number, Promise<SchemaDefinition | null>>();
  private readonly media = new Map<number, Promise<MediaDetail | null>>();

  private readonly stateFilter = byId("review-state", HTMLSelectElement);
  private readonly annotatorFilter = byId("review-annotator", HTMLSelectElement);
  private readonly list = byId("review-list", HTMLUListElement);
  private readonly empty = byId("review-empty", HTMLElement);
  private readonly count = byId("review-count", HTMLElement);
  private readonly notice = byId("review-notice", HTMLElement);
  private readonly detail = byId("review-detail", HTMLElement);
  private readonly title = byId("detail-title", HTMLHeadingElement);
  private readonly position = byId("detail-position", HTMLElement);
  private readonly item = byId("review-item", HTMLElement);
  private readonly values = byId("review-annotations", HTMLElement);
  private readonly comment = byId("review-comment", HTMLTextAreaElement);
  private readonly status = byId("review-status", HTMLElement);
  private readonly buttons: Record<Verdict, HTMLButtonElement> = {
    accept: byId("review-accept", HTMLButtonElement),
    reject: byId("review-reject", HTMLButtonElement),
    adjudicate: byId("review-adjudicate", HTMLButtonElement),
  };
  private readonly panel = byId("adjudicate-panel", HTMLElement);
  private readonly sources = byId("adjudicate-sources", HTMLElement);
  private readonly finalValues = byId("adjudicate-values", HTMLTextAreaElement);
  private readonly problems = byId("adjudicate-errors", HTMLUListElement);

  constructor(private readonly projectId: string) {
    const query = new URLSearchParams(window.location.search);
    if (query.has("state")) this.stateFilter.value = query.get("state") ?? "";
    this.stateFilter.addEventListener("change", () => this.applyFilters());
    this.annotatorFilter.addEventListener("change", () => this.applyFilters());
    byId("review-filters", HTMLFormElement).addEventListener("submit", (event) => event.preventDefault());
    this.buttons.accept.addEventListener("click", () => void this.verdict("accept"));
    this.buttons.reject.addEventListener("click", () => void this.verdict("reject"));
    this.buttons.adjudicate.addEventListener("click", () => void this.toggleAdjudication());
    byId("adjudicate-save", HTMLButtonElement).addEventListener("click", () => void this.adjudicate());
    byId("adjudicate-cancel", HTMLButtonElement).addEventListener("click", () => this.closeAdjudication());
    this.comment.addEventListener("keydown", (event) => {
      if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
        event.preventDefault();
        void this.verdict("reject");
      }
    });
    document.addEventListener("keydown", (event) => this.onKey(event));
  }

  async load(): Promise<void> {
    const [assignments] = await Promise.all([
      getJson(`/api/projects/${this.projectId}/assignments/`),
      this.refreshProgress(),
    ]);
    this.all = listOf<ReviewAssignment>(assignments).sort(
      (a, b) => a.item.id - b.item.id || a.annotator.localeCompare(b.annotator) || a.id - b.id,
    );
    const wanted = new URLSearchParams(window.location.search).get("annotator");
    if (wanted && [...this.annotatorFilter.options].some((o) => o.value === wanted)) this.annotatorFilter.value = wanted;
    this.applyFilters();
  }

  private async refreshProgress(): Promise<void> {
    const people = listOf<AnnotatorProgress>(await getJson(`/api/projects/${this.projectId}/assignments/progress/`));
    const rows = byId("review-progress-rows", HTMLTableSectionElement);
    rows.replaceChildren(
      ...people.map((p) =>
        h(
          "tr",
          { data: { annotator: p.annotator } },
          h("th", { text: p.annotator, attrs: { scope: "row" } }),
          ...[p.total, p.assigned, p.submitted, p.accepted, p.rejected, p.adjudicated].map((n) =>
            h("td", { className: "num", text: String(n) }),
          ),
          h(
            "td",
            { className: "col-progress" },
            h(
              "div",
              { className: "progress-cell" },
              h("progress", {
              className: "bar",
                attrs: { max: String(Math.max(p.total, 1)), value: String(p.done), "aria-label": `${p.annotator}'s progress` },
              }),
              h("span", { className: "progress-percent", text: `${p.done}/${p.total}` }),
            ),
          ),
        ),
      ),
    );
    byId("review-progress-empty", HTMLElement).hidden = people.length > 0;
    const chosen = this.annotatorFilter.value;
    this.annotatorFilter.replaceChildren(
      h("option", { text: "Everyone", attrs: { value: "" } }),
      ...people.map((p) => h("option", { text: p.annotator, attrs: { value: p.annotator } })),
    );
    this.annotatorFilter.value = people.some((p) => p.annotator === chosen) ? chosen : "";
  }

  private matches(assignment: ReviewAssignment): boolean {
    const state = this.stateFilter.value;
    const annotator = this.annotatorFilter.value;
    return (!state || assignment.state === state) && (!annotator || assignment.annotator === annotator);
  }

  private applyFilters(): void {
    const query = new URLSearchParams();
    // An empty state is kept in the address too: it means "all", where no state means "submitted".
    query.set("state", this.stateFilter.value);
    if (this.annotatorFilter.value) query.set("annotator", this.annotatorFilter.value);
    window.history.replaceState(null, "", `${window.location.pathname}?${query.toString()}`);
    this.shown = this.all.filter((a) => this.matches(a));
    this.index = 0;
    this.renderList();
    void this.renderDetail();
  }

  private renderList(): void {
    this.list.replaceChildren(
      ...this.shown.map((assignment, i) => {
        const button = h(
          "button",
          {
            className: "review-entry",
            attrs: { type: "button", "aria-current": i === this.index ? "true" : "false" },
            data: { assignmentId: String(assignment.id), state: assignment.state },
          },
          h("span", { className: "review-entry-name", text: itemName(assignment) }),
          h("span", { className: "review-entry-who", text: assignment.annotator }),
          h("span", { className: `status-badge review-state-${assignment.state}`, text: STATE_LABELS[assignment.state] }),
        );
        button.addEventListener("click", () => this.select(i));
        return h("li", {}, button);
      }),
    );
    const total = this.shown.length;
    setText(this.count, `${total} assignment${total === 1 ? "" : "s"}`);
    this.empty.hidden = total > 0;
  }

  private select(index: number): void {
    if (!this.shown.length) return;
    this.index = Math.max(0, Math.min(index, this.shown.length - 1));
    for (const [i, entry] of [...this.list.querySelectorAll("button.review-entry")].entries()) {
      entry.setAttribute("aria-current", i === this.index ? "true" : "false");
      if (i === this.index) entry.scrollIntoView({ block: "nearest" });
    }
    void this.renderDetail();
  }

  private get current(): ReviewAssignment | null {
    return this.shown[this.index] ?? null;
  }

  private annotation(assignmentId: number): Promise<AnnotationState> {
    let found = this.annotations.get(assignmentId);
    if (!found) {
      found = getJson(`/api/assignments/${assignmentId}/annotation/`) as Promise<AnnotationState>;
      found.catch(() => this.annotations.delete(assignmentId));
      this.annotations.set(assignmentId, found);
    }
    return found;
  }

  private schema(version: number | null): Promise<SchemaDefinition | null> {
    const key = version ?? 0;
    let found = this.schemas.get(key);
    if (!found) {
      const url =
        version === null
          ? `/api/projects/${this.projectId}/schema/`
          : `/api/projects/${this.projectId}/schema/versions/${version}/`;
      found = getJson(url).then(
        (body) => (body as { definition: SchemaDefinition }).definition,
        () => null,
      );
      this.schemas.set(key, found);
    }
    return found;
  }

  private mediaOf(itemId: number): Promise<MediaDetail | null> {
    let found = this.media.get(itemId);
    if (!found) {
      found = getJson(`/api/media/${itemId}/`).then(
        (body) => body as MediaDetail,
        () => null,
      );
      this.media.set(itemId, found);
    }
    return found;
  }

  private siblings(assignment: ReviewAssignment): ReviewAssignment[] {
    const same = this.all.filter((a) => a.item.id === assignment.item.id && a.id !== assignment.id);
    return [assignment, ...same];
  }

  private async renderDetail(): Promise<void> {
    const token = ++this.renderToken;
    const assignment = this.current;
    this.closeAdjudication();
    this.detail.hidden = assignment === null;
    if (!assignment) {
      delete this.detail.dataset.assignmentId;
      return;
    }
    this.detail.dataset.assignmentId = String(assignment.id);
    this.detail.dataset.loaded = "false";
    setText(this.title, itemName(assignment));
    setText(this.position, `${this.index + 1} of ${this.shown.length}`);
    this.renderItem(assignment);
    this.updateButtons(assignment);
    this.values.replaceChildren(h("p", { className: "muted", text: "Loading…" }));
    const blocks = await Promise.all(this.siblings(assignment).map((a) => this.annotationBlock(a, a.id === assignment.id)));
    if (token !== this.renderToken) return;
    this.values.replaceChildren(...blocks);
    this.detail.dataset.loaded = "true";
    void this.renderMedia(assignment, token);
  }

  private renderItem(assignment: ReviewAssignment): void {
    const item = assignment.item;
    const facts = [
      item.kind !== "unknown" ? item.kind : "",
      item.duration_seconds !== null ? formatDuration(item.duration_seconds) : "",
      item.speaker ? `speaker ${item.speaker}` : "",
      item.dialogue_id ? `dialogue ${item.dialogue_id}${item.turn !== null ? `, turn ${item.turn}` : ""}` : "",
    ].filter(Boolean);
    this.item.replaceChildren(h("p", { className: "muted", text: facts.join(" · ") }));
    if (item.text) this.item.append(h("blockquote", { className: "review-text", text: item.text }));
    this.item.append(h("div", { className: "review-media" }));
  }

  private async renderMedia(assignment: ReviewAssignment, token: number): Promise<void> {
    if (assignment.item.kind !== "video" && assignment.item.kind !== "audio") return;
    const detail = await this.mediaOf(assignment.item.id);
    const host = this.item.querySelector(".review-media");
    const source = detail?.files?.proxy;
    if (token !== this.renderToken || !host || !source) return;
    const media =
      assignment.item.kind === "video"
        ? h("video", { className: "review-player", attrs: { controls: "", preload: "metadata", playsinline: "" } })
        : h("audio", { className: "review-player", attrs: { controls: "", preload: "metadata" } });
    if (media instanceof HTMLVideoElement && detail?.files.poster) media.poster = detail.files.poster;
    media.src = source;
    host.replaceChildren(media);
  }

  private async annotationBlock(assignment: ReviewAssignment, selected: boolean): Promise<HTMLElement> {
    const head = h(
      "div",
      { className: "annotation-head" },
      h("strong", { text: assignment.annotator }),
      h("span", { className: `status-badge review-state-${assignment.state}`, text: STATE_LABELS[assignment.state] }),
      selected ? h("span", { className: "muted", text: "this assignment" }) : null,
    );
    const block = h(
      "article",
      { className: selected ? "annotation-block selected" : "annotation-block", data: { annotator: assignment.annotator } },
      head,
    );
    if (assignment.review_comment) {
      block.append(h("p", { className: "review-previous", text: `Review comment: ${assignment.review_comment}` }));
    }
    try {
      const state = await this.annotation(assignment.id);
      if (!state.latest) {
        block.append(h("p", { className: "muted", text: "Nothing saved yet." }));
        return block;
      }
      const definition = await this.schema(state.schema_version);
      const fields = describeValues(definition, state.latest.values);
      const by = state.latest.author !== assignment.annotator ? ` by ${state.latest.author}` : "";
      block.append(
        h("p", {
          className: "muted annotation-meta",
          text: `Revision ${state.latest.number}${by}${state.latest.submitted ? ", submitted" : ", draft"}${
            state.schema_version !== null ? ` · schema v${state.schema_version}` : ""
          }`,
        }),
      );
      const list = h("dl", { className: "annotation-values" });
      for (const field of fields) {
        list.append(
          h("dt", { text: field.label, data: { field: field.name } }),
          h("dd", { data: { field: field.name } }, ...field.lines.map((line) => h("div", { text: line }))),
        );
      }
      if (!fields.length) list.append(h("dd", { className: "muted", text: "No values." }));
      block.append(list);
    } catch (caught) {
      block.append(h("p", { className: "alert error", text: failureText(caught, "Could not load this annotation.") }));
    }
    return block;
  }

  private updateButtons(assignment: ReviewAssignment): void {
    for (const verdict of ["accept", "reject", "adjudicate"] as const) {
      const allowed = ALLOWED[verdict].has(assignment.state);
      this.buttons[verdict].disabled = !allowed || this.busy;
      this.buttons[verdict].title = allowed ? "" : `Not possible while the assignment is ${assignment.state}.`;
    }
  }

  private say(text: string, error = false): void {
    setText(this.status, text);
    this.status.classList.toggle("error", error);
  }

  private async verdict(action: Verdict, values?: unknown): Promise<boolean> {
    const assignment = this.current;
    if (!assignment || this.busy) return false;
    if (!ALLOWED[action].has(assignment.state)) {
      this.say(`An assignment that is ${assignment.state} cannot be given '${action}'.`, true);
      return false;
    }
    const comment = this.comment.value.trim();
    if (action === "reject" && !comment) {
      this.say("Say what to fix: write a comment for the annotator, then reject.", true);
      this.comment.focus();
      return false;
    }
    const body: Record<string, unknown> = { action, comment };
    if (values !== undefined) body.values = values;
    this.busy = true;
    this.updateButtons(assignment);
    this.say("Saving…");
    try {
      const { body: answer } = await sendJson("POST", `/api/assignments/${assignment.id}/review/`, body);
      this.replace(answer as ReviewAssignment);
      this.comment.value = "";
      this.say(
        action === "reject"
          ? `${DONE_MESSAGES.reject} ${assignment.annotator}: ${itemName(assignment)}.`
          : `${DONE_MESSAGES[action]}: ${itemName(assignment)} by ${assignment.annotator}.`,
      );
      void this.refreshProgress().catch(() => undefined);
      return true;
    } catch (caught) {
      if (caught instanceof Refused && caught.problems.length) this.showProblems(caught);
      this.say(failureText(caught, "Could not save the verdict."), true);
      return false;
    } finally {
      this.busy = false;
      if (this.current) this.updateButtons(this.current);
    }
  }

  /** Puts the server's copy in place and moves on to the next assignment of the queue. */
  private replace(updated: ReviewAssignment): void {
    this.annotations.delete(updated.id);
    this.all = this.all.map((a) => (a.id === updated.id ? updated : a));
    const stillShown = this.matches(updated);
    const at = this.index;
    this.shown = this.all.filter((a) => this.matches(a));
    this.index = Math.min(stillShown ? at + 1 : at, Math.max(this.shown.length - 1, 0));
    this.renderList();
    void this.renderDetail();
  }

  private async toggleAdjudication(): Promise<void> {
    if (!this.panel.hidden) {
      this.closeAdjudication();
      return;
    }
    const assignment = this.current;
    if (!assignment || !ALLOWED.adjudicate.has(assignment.state)) return;
    const token = this.renderToken;
    const own = await this.annotation(assignment.id).catch(() => null);
    if (token !== this.renderToken) return;
    this.finalValues.value = own?.latest ? JSON.stringify(own.latest.values, null, 2) : "";
    this.finalValues.dataset.original = own?.latest ? canonical(own.latest.values) : "";
    const buttons: HTMLButtonElement[] = [];
    for (const other of this.siblings(assignment)) {
      const state = await this.annotation(other.id).catch(() => null);
      if (!state?.latest) continue;
      const use = h("button", {
        className: "button small ghost",
        text: `Use ${other.annotator}'s values`,
        attrs: { type: "button" },
        data: { annotator: other.annotator },
      });
      const values = state.latest.values;
      use.addEventListener("click", () => {
        this.finalValues.value = JSON.stringify(values, null, 2);
        this.finalValues.focus();
      });
      buttons.push(use);
    }
    if (token !== this.renderToken) return;
    this.sources.replaceChildren(...buttons);
    this.problems.hidden = true;
    this.panel.hidden = false;
    this.buttons.adjudicate.setAttribute("aria-expanded", "true");
    this.finalValues.focus();
  }

  private closeAdjudication(): void {
    this.panel.hidden = true;
    this.problems.hidden = true;
    this.problems.replaceChildren();
    this.buttons.adjudicate.setAttribute("aria-expanded", "false");
  }

  private showProblems(refused: Refused): void {
    this.problems.replaceChildren(
      ...refused.problems.map((p) => h("li", {}, h("code", { text: p.path || "values" }), ` ${p.message}`)),
    );
    this.problems.hidden = false;
  }

  private async adjudicate(): Promise<void> {
    const text = this.finalValues.value.trim();
    this.problems.hidden = true;
    let values: unknown;
    if (text) {
      try {
        values = JSON.parse(text);
      } catch (caught) {
        this.say(`The final values are not valid JSON: ${caught instanceof Error ? caught.message : "parse error"}.`, true);
        this.finalValues.focus();
        return;
      }
      // The annotator's own values, unchanged, are adjudicated as they stand: no copy by the reviewer.
      if (canonical(values) === this.finalValues.dataset.original) values = undefined;
    }
    if (await this.verdict("adjudicate", values)) this.closeAdjudication();
  }

  private onKey(event: KeyboardEvent): void {
    if (event.key === "Escape" && isTyping(event.target)) {
      (event.target as HTMLElement).blur();
      return;
    }
    if (event.ctrlKey || event.metaKey || event.altKey || isTyping(event.target) || event.defaultPrevented) return;
    if (document.querySelector("dialog[open]")) return;
    switch (event.key) {
      case "j":
        this.select(this.index + 1);
        break;
      case "k":
        this.select(this.index - 1);
        break;
      case "a":
        void this.verdict("accept");
        break;
      case "r":
        void this.verdict("reject");
        break;
      case "d":
        void this.toggleAdjudication();
        break;
      default:
        return;
    }
    event.preventDefault();
  }

  showFailure(caught: unknown): void {
    const denied = caught instanceof ApiError && caught.status === 403;
    this.notice.textContent = denied
      ? "Your role in this project does not allow reviewing."
      : failureText(caught, "Could not load the assignments.");
    this.notice.hidden = false;
  }
}
