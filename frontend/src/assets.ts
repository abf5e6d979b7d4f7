/**
 * The asset table, kept live by polling while anything is still being processed.
 *
 * Rows are updated in place (keyed by asset id) rather than redrawn, so an
 * open player, focus and loaded poster images survive each refresh.
 */

import { ApiError, getJson, listOf } from "./api";
import { h, setText } from "./dom";
import { formatBytes, formatDuration, metadataText, plural } from "./format";
import type { Player } from "./player";
import type { JobBoard } from "./prelabel";
import { SETTLED, type Asset } from "./types";

const POLL_MS = 1500;
const HIDDEN_POLL_MS = 6000;
const MAX_BACKOFF_MS = 15000;
const MAX_METADATA_CHIPS = 6;

const STATUS_LABELS: Record<string, string> = {
  received: "Queued",
  probing: "Probing",
  normalising: "Processing",
  ready: "Ready",
  failed: "Failed",
};
const KIND_LABELS: Record<string, string> = { video: "Video", audio: "Audio", text: "Text", unknown: "—" };

function displayName(asset: Asset): string {
  if (asset.original_name) return asset.original_name;
  if (asset.text) return asset.text.length > 80 ? `${asset.text.slice(0, 79)}…` : asset.text;
  return `Item ${asset.id}`;
}

class AssetRow {
  readonly row: HTMLTableRowElement;
  private readonly preview = h("td", { className: "col-preview" });
  private readonly name = h("div", { className: "asset-name" });
  private readonly sub = h("div", { className: "asset-sub" });
  private readonly meta = h("ul", { className: "meta-chips" });
  private readonly kind = h("td", { className: "col-kind" });
  private readonly duration = h("td", { className: "col-duration num" });
  private readonly badge = h("span", { className: "status-badge" });
  private readonly reason = h("p", { className: "failure-reason" });
  private readonly bar = h("progress", { className: "bar", attrs: { max: "100", value: "0" } });
  private readonly percent = h("span", { className: "progress-percent" });
  private readonly play = h("button", { className: "button small", text: "Play", attrs: { type: "button" } });
  private posterUrl = "";
  private current: Asset;

  constructor(
    asset: Asset,
    player: Player,
    private readonly jobs: JobBoard,
  ) {
    this.current = asset;
    this.play.addEventListener("click", () => player.open(this.current, displayName(this.current)));
    this.row = h(
      "tr",
      { data: { assetId: String(asset.id) } },
      jobs.selectCellFor(asset, displayName(asset)),
      this.preview,
      h("td", { className: "col-name" }, this.name, this.sub, this.meta),
      this.kind,
      this.duration,
      h("td", { className: "col-status" }, this.badge, this.reason),
      h("td", { className: "col-progress" }, h("div", { className: "progress-cell" }, this.bar, this.percent)),
      jobs.cellFor(asset),
      h("td", { className: "col-actions" }, this.play),
    );
    this.update(asset);
  }

  update(asset: Asset): void {
    this.current = asset;
    const name = displayName(asset);
    this.row.dataset.status = asset.status;
    setText(this.name, name);
    this.name.title = name;
    setText(this.sub, formatBytes(asset.size_bytes));
    setText(this.kind, KIND_LABELS[asset.kind] ?? asset.kind);
    setText(this.duration, formatDuration(asset.duration_seconds));
    setText(this.badge, STATUS_LABELS[asset.status] ?? asset.status);
    this.badge.className = `status-badge status-${asset.status}`;
    const failed = asset.status === "failed";
    setText(this.reason, failed ? asset.failure_reason || "Processing failed." : "");
    this.reason.hidden = !failed;
    const progress = asset.status === "ready" ? 100 : Math.max(0, Math.min(100, asset.progress));
    this.bar.value = progress;
    this.bar.setAttribute("aria-label", `Processing progress of ${name}`);
    this.bar.hidden = failed;
    setText(this.percent, failed ? "" : `${progress}%`);
    this.play.hidden = !(asset.status === "ready" && asset.files.proxy);
    this.play.setAttribute("aria-label", `Play ${name}`);
    this.updatePreview(asset);
    this.updateMetadata(asset.metadata);
    this.jobs.update(asset, name);
  }

  private updatePreview(asset: Asset): void {
    const poster = asset.files.poster ?? "";
    if (poster && poster === this.posterUrl) return;
    this.posterUrl = poster;
    if (poster) {
      const image = h("img", { className: "poster", attrs: { alt: "", loading: "lazy", width: "96", height: "54" } });
      image.src = poster;
      this.preview.replaceChildren(image);
    } else {
      this.preview.replaceChildren(h("div", { className: `thumb kind-${asset.kind}`, text: KIND_LABELS[asset.kind] ?? "" }));
    }
  }

  private updateMetadata(metadata: Record<string, unknown>): void {
    const entries = Object.entries(metadata ?? {});
    const chips = entries.slice(0, MAX_METADATA_CHIPS).map(([key, value]) =>
      h("li", { className: "chip" }, h("span", { className: "chip-key", text: key }), h("span", { text: metadataText(value) })),
    );
    if (entries.length > MAX_METADATA_CHIPS) {
      chips.push(h("li", { className: "chip more", text: `+${entries.length - MAX_METADATA_CHIPS} more` }));
    }
    this.meta.replaceChildren(...chips);
    this.meta.hidden = chips.length === 0;
  }
}

export class AssetTable {
  private readonly rows = new Map<number, AssetRow>();
  private timer: number | undefined;
  private failures = 0;
  private inFlight = false;
  private again = false;

  constructor(
    private readonly url: string,
    private readonly body: HTMLTableSectionElement,
    private readonly empty: HTMLElement,
    private readonly summary: HTMLElement,
    private readonly notice: HTMLElement,
    private readonly player: Player,
    private readonly jobs: JobBoard,
    private readonly keepPolling: () => boolean,
  ) {
    jobs.poke = () => void this.refresh();
    document.addEventListener("visibilitychange", () => {
      if (!document.hidden && this.timer !== undefined) this.refresh();
    });
  }

  /** Fetch the list now; further polls are scheduled while anything is unsettled. */
  async refresh(): Promise<void> {
    if (this.inFlight) {
      this.again = true;
      return;
    }
    window.clearTimeout(this.timer);
    this.timer = undefined;
    this.inFlight = true;
    let delay: number | null = null;
    try {
      const assets = listOf<Asset>(await getJson(this.url));
      this.failures = 0;
      this.notice.hidden = true;
      this.render(assets);
      const jobsMoving = await this.jobs.sync();
      if (assets.some((asset) => !SETTLED.has(asset.status)) || jobsMoving || this.keepPolling()) {
        delay = document.hidden ? HIDDEN_POLL_MS : POLL_MS;
      }
    } catch (caught) {
      this.failures += 1;
      const message = caught instanceof ApiError ? caught.message : "Could not load the media list or its jobs.";
      this.notice.textContent = `${message} Retrying…`;
      this.notice.hidden = false;
      delay = Math.min(MAX_BACKOFF_MS, POLL_MS * 2 ** this.failures);
    } finally {
      this.inFlight = false;
    }
    if (this.again) {
      this.again = false;
      void this.refresh();
    } else if (delay !== null) {
      this.timer = window.setTimeout(() => void this.refresh(), delay);
    }
  }

  /** Show an asset the upload answer just returned, before the next poll. */
  upsert(asset: Asset): void {
    const known = this.rows.get(asset.id);
    if (known) {
      known.update(asset);
    } else {
      const row = new AssetRow(asset, this.player, this.jobs);
      this.rows.set(asset.id, row);
      this.body.append(row.row);
    }
    this.updateSummary();
  }

  private render(assets: Asset[]): void {
    const seen = new Set<number>();
    assets.forEach((asset, index) => {
      seen.add(asset.id);
      let row = this.rows.get(asset.id);
      if (row) {
        row.update(asset);
      } else {
        row = new AssetRow(asset, this.player, this.jobs);
        this.rows.set(asset.id, row);
      }
      if (this.body.children[index] !== row.row) this.body.insertBefore(row.row, this.body.children[index] ?? null);
    });
    for (const [id, row] of this.rows) {
      if (!seen.has(id)) {
        row.row.remove();
        this.rows.delete(id);
        this.jobs.forget(id);
      }
    }
    this.updateSummary();
  }

  private updateSummary(): void {
    const statuses = [...this.body.querySelectorAll<HTMLTableRowElement>("tr[data-asset-id]")].map((row) => row.dataset.status);
    const processing = statuses.filter((status) => status !== "ready" && status !== "failed").length;
    const failed = statuses.filter((status) => status === "failed").length;
    const parts = [plural(statuses.length, "item")];
    if (processing) parts.push(`${processing} processing`);
    if (failed) parts.push(`${failed} failed`);
    setText(this.summary, parts.join(" · "));
    this.empty.hidden = statuses.length > 0;
  }
}
