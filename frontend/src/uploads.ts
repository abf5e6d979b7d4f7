/**
 * The upload queue: many files at once, each with its own progress bar.
 *
 * XMLHttpRequest rather than fetch because only XHR reports upload progress.
 * A few files travel at a time so that a drop of hundreds neither opens
 * hundreds of connections nor starves the polling of the asset table.
 */

import { csrfToken, errorMessage, parseJson } from "./api";
import { h, setText } from "./dom";
import { formatBytes, plural } from "./format";
import type { Asset } from "./types";

const PARALLEL_UPLOADS = 3;

type UploadState = "queued" | "uploading" | "saving" | "created" | "duplicate" | "error" | "cancelled";
const FINISHED: ReadonlySet<UploadState> = new Set(["created", "duplicate", "error", "cancelled"]);

class UploadItem {
  readonly row: HTMLLIElement;
  state: UploadState = "queued";
  xhr: XMLHttpRequest | null = null;
  private readonly bar: HTMLProgressElement;
  private readonly percent: HTMLSpanElement;
  private readonly message: HTMLSpanElement;
  private readonly action: HTMLButtonElement;
  private onAction: () => void = () => undefined;

  constructor(readonly file: File) {
    this.bar = h("progress", { className: "bar", attrs: { max: "100", value: "0" } });
    this.bar.setAttribute("aria-label", `Upload progress of ${file.name}`);
    this.percent = h("span", { className: "upload-percent", text: "0%" });
    this.message = h("span", { className: "upload-message", attrs: { role: "status" } });
    this.action = h("button", { className: "icon-button", attrs: { type: "button" } });
    this.action.addEventListener("click", () => this.onAction());
    this.row = h(
      "li",
      { className: "upload-item" },
      h(
        "div",
        { className: "upload-head" },
        h("span", { className: "upload-name", text: file.name, attrs: { title: file.name } }),
        h("span", { className: "upload-size", text: formatBytes(file.size) }),
        this.action,
      ),
      h("div", { className: "upload-progress" }, this.bar, this.percent),
      this.message,
    );
    this.setState("queued", "Waiting…");
  }

  setState(state: UploadState, message: string): void {
    this.state = state;
    this.row.dataset.state = state;
    setText(this.message, message);
  }

  setProgress(percent: number): void {
    const value = Math.max(0, Math.min(100, Math.floor(percent)));
    this.bar.value = value;
    setText(this.percent, `${value}%`);
  }

  setAction(label: string, text: string, handler: (() => void) | null): void {
    this.action.hidden = handler === null;
    this.action.textContent = text;
    this.action.setAttribute("aria-label", `${label} ${this.file.name}`);
    this.onAction = handler ?? (() => undefined);
  }
}

export class UploadQueue {
  private readonly items: UploadItem[] = [];
  private readonly waiting: UploadItem[] = [];
  private active = 0;

  constructor(
    private readonly url: string,
    private readonly list: HTMLUListElement,
    private readonly summary: HTMLElement,
    private readonly clearButton: HTMLButtonElement,
    private readonly onStored: (asset: Asset) => void,
  ) {
    clearButton.addEventListener("click", () => this.clearFinished());
    this.updateSummary();
  }

  get busy(): boolean {
    return this.active > 0 || this.waiting.length > 0;
  }

  add(files: Iterable<File>): void {
    for (const file of files) {
      const item = new UploadItem(file);
      this.items.push(item);
      this.list.append(item.row);
      this.enqueue(item);
    }
    this.pump();
  }

  private enqueue(item: UploadItem): void {
    item.setProgress(0);
    item.setState("queued", "Waiting…");
    item.setAction("Cancel upload of", "Cancel", () => this.cancel(item));
    this.waiting.push(item);
    this.updateSummary();
  }

  private pump(): void {
    while (this.active < PARALLEL_UPLOADS && this.waiting.length) {
      const next = this.waiting.shift();
      if (next) this.send(next);
    }
    this.updateSummary();
  }

  private send(item: UploadItem): void {
    this.active += 1;
    const xhr = new XMLHttpRequest();
    item.xhr = xhr;
    item.setState("uploading", "Uploading…");
    xhr.open("POST", this.url);
    xhr.setRequestHeader("X-CSRFToken", csrfToken());
    xhr.setRequestHeader("Accept", "application/json");
    xhr.upload.addEventListener("progress", (event) => {
      if (event.lengthComputable && event.total > 0) item.setProgress((event.loaded / event.total) * 100);
    });
    xhr.upload.addEventListener("load", () => {
      item.setProgress(100);
      item.setState("saving", "Uploaded, saving…");
    });
    xhr.addEventListener("load", () => this.finish(item, xhr));
    xhr.addEventListener("error", () => this.fail(item, "Network error: the upload did not reach the server.", true));
    xhr.addEventListener("timeout", () => this.fail(item, "The upload timed out.", true));
    xhr.addEventListener("loadend", () => {
      this.active -= 1;
      item.xhr = null;
      this.pump();
    });
    const body = new FormData();
    body.append("file", item.file, item.file.name);
    xhr.send(body);
  }

  private finish(item: UploadItem, xhr: XMLHttpRequest): void {
    const payload = parseJson(xhr.responseText);
    if (xhr.status === 201 || xhr.status === 200) {
      item.setProgress(100);
      const duplicate = xhr.status === 200;
      item.setState(duplicate ? "duplicate" : "created", duplicate ? "Already uploaded (duplicate)" : "Uploaded");
      item.setAction("", "", null);
      if (payload && typeof payload === "object") this.onStored(payload as Asset);
      this.updateSummary();
      return;
    }
    const fallback = xhr.status === 413 ? "The file is larger than this server accepts." : `The server answered ${xhr.status}.`;
    const retryable = xhr.status >= 500 || xhr.status === 408 || xhr.status === 429;
    this.fail(item, errorMessage(payload, fallback, ["file"]), retryable);
  }

  private fail(item: UploadItem, message: string, retryable: boolean): void {
    item.setState("error", message);
    item.setAction("Retry upload of", "Retry", retryable ? () => this.retry(item) : null);
    this.updateSummary();
  }

  private retry(item: UploadItem): void {
    this.enqueue(item);
    this.pump();
  }

  private cancel(item: UploadItem): void {
    const queued = this.waiting.indexOf(item);
    if (queued >= 0) this.waiting.splice(queued, 1);
    item.xhr?.abort();
    item.setState("cancelled", "Cancelled");
    item.setAction("Retry upload of", "Retry", () => this.retry(item));
    this.updateSummary();
  }

  private clearFinished(): void {
    for (let index = this.items.length - 1; index >= 0; index -= 1) {
      const item = this.items[index];
      if (item && FINISHED.has(item.state)) {
        item.row.remove();
        this.items.splice(index, 1);
      }
    }
    this.updateSummary();
  }

  private updateSummary(): void {
    const count = (states: UploadState[]) => this.items.filter((item) => states.includes(item.state)).length;
    const done = count(["created", "duplicate"]);
    const failed = count(["error"]);
    const pending = count(["queued", "uploading", "saving"]);
    const parts: string[] = [];
    if (pending) parts.push(`${plural(pending, "file")} uploading`);
    if (done) parts.push(`${done} done`);
    if (failed) parts.push(`${failed} failed`);
    setText(this.summary, parts.join(" · "));
    this.clearButton.hidden = this.items.every((item) => !FINISHED.has(item.state));
    this.list.hidden = this.items.length === 0;
  }
}
