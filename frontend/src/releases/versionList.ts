/**
 * The project's versions, newest first: state, build progress (polled while any version is
 * queued or building), counts, who made it and when, links, and the diff to the previous
 * version behind a disclosure.
 */

import { ApiError } from "../api";
import { h, setText } from "../dom";
import { plural } from "../format";
import { listVersions } from "./api";
import { ACTIVE_VERSION_STATES, type DatasetVersion, type VersionDiff } from "./types";

const POLL_MS = 1000;
const IDS_SHOWN = 50;
const STATE_LABELS: Record<string, string> = {
  queued: "Queued",
  building: "Building",
  ready: "Ready",
  failed: "Failed",
};

export const reportPageUrl = (version: DatasetVersion): string => `/releases/${version.id}/report/`;

function when(iso: string | null): string {
  if (!iso) return "";
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : date.toLocaleString();
}

function idList(title: string, ids: Array<string | number>, className: string): HTMLElement | null {
  if (!ids.length) return null;
  const shown = ids.slice(0, IDS_SHOWN).map(String).join(", ");
  const more = ids.length > IDS_SHOWN ? ` and ${ids.length - IDS_SHOWN} more` : "";
  return h(
    "div",
    { className: `diff-group ${className}` },
    h("dt", { text: `${title} (${ids.length})` }),
    h("dd", { text: `${shown}${more}` }),
  );
}

function labelChanges(diff: VersionDiff): string {
  const parts = [
    diff.labels_added !== undefined ? `${diff.labels_added} added` : "",
    diff.labels_removed !== undefined ? `${diff.labels_removed} removed` : "",
  ].filter(Boolean);
  return parts.length ? `${diff.label_changes} (${parts.join(", ")})` : String(diff.label_changes);
}

function diffBlock(diff: VersionDiff | null): HTMLElement | null {
  if (!diff) return null;
  const counts = `${diff.items_added.length} added, ${diff.items_removed.length} removed, ${diff.items_changed.length} changed, ${plural(diff.label_changes, "label change")}`;
  const heading = diff.previous ? `Changes since ${diff.previous}: ${counts}` : "First version: nothing to compare with";
  const details = h(
    "details",
    { className: "diff" },
    h("summary", { text: heading }),
    diff.summary ? h("p", { className: "diff-summary", text: diff.summary }) : null,
    h(
      "dl",
      { className: "diff-lists" },
      idList("Items added", diff.items_added, "added"),
      idList("Items removed", diff.items_removed, "removed"),
      idList("Items changed", diff.items_changed, "changed"),
      h("div", { className: "diff-group labels" }, h("dt", { text: "Label changes" }), h("dd", { text: labelChanges(diff) })),
    ),
  );
  return details;
}

function card(version: DatasetVersion, wasOpen: boolean, canDownload: boolean): HTMLLIElement {
  const active = ACTIVE_VERSION_STATES.has(version.state);
  const progress = version.state === "ready" ? 100 : Math.max(0, Math.min(100, Math.round(version.progress ?? 0)));
  const counts = version.counts;
  const item = h(
    "li",
    { className: "release", data: { versionId: String(version.id), version: version.version, state: version.state } },
    h(
      "div",
      { className: "release-head" },
      h("span", { className: "release-version", text: version.version }),
      h("span", { className: `release-state state-${version.state}`, text: STATE_LABELS[version.state] ?? version.state }),
      h("span", { className: "release-by muted", text: `by ${version.created_by ?? "unknown"} · ${when(version.created_at)}` }),
    ),
    active
      ? h(
          "div",
          { className: "release-progress" },
          h("progress", { className: "bar", attrs: { max: "100", value: String(progress), "aria-label": `Building ${version.version}` } }),
          h("span", { className: "release-percent", text: `${progress}%` }),
          h("span", { className: "release-message muted", text: version.progress_message ?? "" }),
        )
      : null,
    version.state === "failed" ? h("p", { className: "release-error", text: version.error || "The build failed." }) : null,
    counts ? h("p", { className: "release-counts", text: `${plural(counts.items, "item")} · ${plural(counts.annotators, "annotator")} · ${plural(counts.annotations, "annotation")}` }) : null,
    version.notes ? h("p", { className: "release-notes", text: version.notes }) : null,
    version.state === "ready"
      ? h(
          "p",
          { className: "release-links" },
          canDownload
            ? h("a", { className: "button small", text: "Download (zip)", attrs: { href: version.download_url, download: "" } })
            : null,
          h("a", { className: "button small", text: "Agreement report", attrs: { href: reportPageUrl(version) } }),
        )
      : null,
    version.state === "ready" ? diffBlock(version.diff) : null,
  );
  const details = item.querySelector("details");
  if (details && wasOpen) details.open = true;
  return item;
}

export class VersionList {
  private timer: number | null = null;
  private versions: DatasetVersion[] = [];

  constructor(
    private readonly projectId: string,
    private readonly list: HTMLUListElement,
    private readonly empty: HTMLElement,
    private readonly notice: HTMLElement,
    private readonly canDownload: boolean,
  ) {}

  get names(): string[] {
    return this.versions.map((v) => v.version);
  }

  /** Put a version the server just accepted at the top at once, then keep polling. */
  add(version: DatasetVersion): void {
    this.versions = [version, ...this.versions.filter((v) => v.id !== version.id)];
    this.render();
    this.schedule();
  }

  async refresh(): Promise<void> {
    try {
      this.versions = await listVersions(this.projectId);
      this.notice.hidden = true;
    } catch (caught) {
      setText(this.notice, caught instanceof ApiError ? caught.message : "Could not load the versions.");
      this.notice.hidden = false;
    }
    this.render();
    this.schedule();
  }

  private schedule(): void {
    if (this.timer !== null) window.clearTimeout(this.timer);
    this.timer = null;
    if (this.versions.some((v) => ACTIVE_VERSION_STATES.has(v.state))) {
      this.timer = window.setTimeout(() => void this.refresh(), POLL_MS);
    }
  }

  private render(): void {
    const open = new Set(
      [...this.list.querySelectorAll<HTMLLIElement>("li.release")]
        .filter((li) => li.querySelector("details")?.open)
        .map((li) => li.dataset.versionId),
    );
    this.list.replaceChildren(...this.versions.map((v) => card(v, open.has(String(v.id)), this.canDownload)));
    this.empty.hidden = this.versions.length > 0;
    this.list.hidden = this.versions.length === 0;
  }
}
