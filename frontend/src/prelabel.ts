/**
 * Pre-labeling on the project page: each ready asset's jobs as small progress bars, a Run
 * control for owners and managers, and the project's "run automatically" checklist.
 *
 * Job lists are fetched per asset only when they can have changed (first sight, a job still
 * queued or running, or just after the asset became ready, when the project's auto-run jobs
 * appear), so a settled project costs one list request per poll, as before.
 */

import { ApiError, getJson, listOf, patchJson, postJson } from "./api";
import { h, setText } from "./dom";
import { ParamForm, runFailure } from "./prelabelParams";
import { ACTIVE_JOB_STATES, type Asset, type Prelabeler, type PrelabelJob } from "./types";

const JOB_STATE_LABELS: Record<string, string> = {
  queued: "Queued",
  running: "Running",
  succeeded: "Succeeded",
  failed: "Failed",
};
/** Polls after an asset turns ready during which its auto-run jobs may still be created. */
const AUTORUN_GRACE_POLLS = 4;

/**
 * Whether the asset offers what the pre-labeler reads (the server checks again on request).
 * An input from another pre-labeler's track ("track:face/blendshapes") fits where that
 * pre-labeler fits, since the server runs it first.
 */
export function prelabelerFits(prelabeler: Prelabeler, asset: Asset, registry: Prelabeler[], depth = 0): boolean {
  if (depth > 8) return false;
  return prelabeler.inputs.every((input) => {
    if (input === "video") return asset.kind === "video" && Boolean(asset.files.proxy);
    if (input === "audio") return Boolean(asset.files.audio);
    if (input === "text") return Boolean(asset.text);
    const upstream = registry.find((other) => other.name === trackSource(input));
    return upstream !== undefined && upstream !== prelabeler && prelabelerFits(upstream, asset, registry, depth + 1);
  });
}

/** "track:face/blendshapes" → "face". */
function trackSource(input: string): string {
  return input.replace(/^track:/, "").split("/")[0] ?? "";
}

/** What an input means to a person: "video", or "face blendshapes" for another pre-labeler's track. */
function inputText(input: string): string {
  return input.replace(/^track:/, "").replace("/", " ");
}

function seconds(start: string | null, end: string | null): string {
  if (!start || !end) return "";
  const span = (Date.parse(end) - Date.parse(start)) / 1000;
  return Number.isFinite(span) && span >= 0 ? `${span < 10 ? span.toFixed(1) : Math.round(span)} s` : "";
}

class JobItem {
  readonly item = h("li", { className: "job" });
  private readonly name = h("span", { className: "job-name" });
  private readonly state = h("span", { className: "job-state" });
  private readonly bar = h("progress", { className: "bar job-bar", attrs: { max: "100", value: "0" } });
  private readonly percent = h("span", { className: "job-percent" });
  private readonly detail = h("span", { className: "job-detail" });
  private readonly error = h("p", { className: "job-error" });

  constructor(job: PrelabelJob) {
    this.item.append(
      h("div", { className: "job-head" }, this.name, this.state, this.detail),
      h("div", { className: "job-progress" }, this.bar, this.percent),
      this.error,
    );
    this.update(job);
  }

  update(job: PrelabelJob): void {
    const progress = job.state === "succeeded" ? 100 : Math.max(0, Math.min(100, job.progress));
    const label = JOB_STATE_LABELS[job.state] ?? job.state;
    this.item.dataset.jobId = String(job.id);
    this.item.dataset.prelabeler = job.prelabeler;
    this.item.dataset.state = job.state;
    setText(this.name, job.prelabeler);
    this.name.title = `${job.prelabeler} version ${job.version}`;
    setText(this.state, label);
    this.state.className = `job-state job-${job.state}`;
    this.bar.value = progress;
    this.bar.setAttribute("aria-label", `${job.prelabeler}: ${label}, ${progress}%`);
    setText(this.percent, `${progress}%`);
    setText(this.detail, [job.device, seconds(job.started_at, job.finished_at)].filter(Boolean).join(" · "));
    const failed = job.state === "failed";
    setText(this.error, failed ? job.error || "The pre-labeler failed." : "");
    this.error.hidden = !failed;
  }
}

/** The pre-labeling cell of one asset row. */
class JobPanel {
  readonly cell = h("td", { className: "col-prelabels" });
  private readonly list = h("ul", { className: "job-list" });
  private readonly none = h("p", { className: "job-none muted", text: "No pre-labels yet" });
  private readonly controls = h("div", { className: "job-run" });
  private readonly select = h("select", { className: "job-select" });
  private readonly run = h("button", { className: "button small", text: "Run", attrs: { type: "button" } });
  private readonly message = h("p", { className: "job-message", attrs: { role: "status" } });
  private readonly params: ParamForm;
  private readonly items = new Map<number, JobItem>();
  private asset: Asset;
  private fetched = false;
  private active = false;
  private grace = 0;
  private choices = "";
  private requested = "";

  constructor(
    asset: Asset,
    private readonly board: JobBoard,
  ) {
    this.asset = asset;
    this.params = new ParamForm(asset.original_name || `item ${asset.id}`);
    this.controls.append(this.select, this.run);
    this.cell.append(this.list, this.none, this.controls, this.params.element, this.message);
    this.run.addEventListener("click", () => void this.request());
    this.select.addEventListener("change", () => this.renderParams());
    this.update(asset);
  }

  get ready(): boolean {
    return this.asset.status === "ready";
  }

  /** A job was just requested for this asset from elsewhere (a selection run): fetch its list. */
  expect(): void {
    this.active = true;
  }

  get due(): boolean {
    return this.ready && (!this.fetched || this.active || this.grace > 0);
  }

  get busy(): boolean {
    return this.ready && (this.active || this.grace > 0);
  }

  update(asset: Asset): void {
    const becameReady = asset.status === "ready" && this.asset.status !== "ready";
    this.asset = asset;
    if (becameReady && this.board.autoRuns()) this.grace = AUTORUN_GRACE_POLLS;
    this.cell.hidden = false;
    this.list.hidden = !this.ready || this.items.size === 0;
    this.none.hidden = !this.ready || this.items.size > 0 || !this.fetched;
    this.renderControls();
  }

  renderControls(): void {
    const name = this.asset.original_name || `item ${this.asset.id}`;
    const fitting = this.board.canRun && this.ready ? this.board.registry.filter((p) => prelabelerFits(p, this.asset, this.board.registry)) : [];
    this.controls.hidden = fitting.length === 0;
    const key = fitting.map((p) => p.name).join(",");
    if (key !== this.choices) {
      this.choices = key;
      const kept = this.select.value;
      this.select.replaceChildren(
        ...fitting.map((p) => h("option", { text: p.name, attrs: { value: p.name, title: p.description } })),
      );
      if (fitting.some((p) => p.name === kept)) this.select.value = kept;
    }
    this.select.setAttribute("aria-label", `Pre-labeler to run on ${name}`);
    this.run.setAttribute("aria-label", `Run the chosen pre-labeler on ${name}`);
    this.renderParams();
  }

  /** The form follows the chosen pre-labeler; it is hidden with the Run control. */
  private renderParams(): void {
    const name = this.asset.original_name || `item ${this.asset.id}`;
    const chosen = this.controls.hidden ? undefined : this.board.registry.find((p) => p.name === this.select.value);
    this.params.show(chosen, name);
  }

  async load(): Promise<void> {
    const jobs = listOf<PrelabelJob>(await getJson(`/api/media/${this.asset.id}/jobs/`));
    this.fetched = true;
    if (this.grace > 0) this.grace -= 1;
    this.show(jobs);
  }

  private show(jobs: PrelabelJob[]): void {
    const seen = new Set<number>();
    jobs.forEach((job, index) => {
      seen.add(job.id);
      let item = this.items.get(job.id);
      if (item) {
        item.update(job);
      } else {
        item = new JobItem(job);
        this.items.set(job.id, item);
      }
      if (this.list.children[index] !== item.item) this.list.insertBefore(item.item, this.list.children[index] ?? null);
    });
    for (const [id, item] of this.items) {
      if (!seen.has(id)) {
        item.item.remove();
        this.items.delete(id);
      }
    }
    this.active = jobs.some((job) => ACTIVE_JOB_STATES.has(job.state));
    // The job's own bar now answers the request; the note would only repeat it.
    if (this.requested && jobs.some((job) => job.prelabeler === this.requested)) {
      this.requested = "";
      setText(this.message, "");
    }
    this.update(this.asset);
  }

  private async request(): Promise<void> {
    const name = this.select.value;
    if (!name) return;
    const params = this.params.values();
    if (params === null) return;
    this.run.disabled = true;
    setText(this.message, "");
    this.message.classList.remove("error");
    try {
      await postJson(`/api/media/${this.asset.id}/prelabel/`, { name, params });
      this.active = true;
      this.requested = name;
      setText(this.message, `${name} requested`);
      this.board.poke();
    } catch (caught) {
      this.message.classList.add("error");
      setText(this.message, runFailure(name, caught, this.params));
    } finally {
      this.run.disabled = false;
    }
  }
}

/** All rows' job panels, plus what every panel needs to know: the registry and the viewer's rights. */
export class JobBoard {
  registry: Prelabeler[] = [];
  canRun = false;
  private auto: string[] = [];
  private readonly panels = new Map<number, JobPanel>();
  /** Each row's selection cell; a checkbox goes in only for those who may run pre-labelers. */
  private readonly selectCells = new Map<number, { cell: HTMLTableCellElement; box: HTMLInputElement | null; name: string }>();
  poke: () => void = () => undefined;
  onSelectionChange: () => void = () => undefined;

  autoRuns(): boolean {
    return this.auto.length > 0;
  }

  cellFor(asset: Asset): HTMLTableCellElement {
    const panel = new JobPanel(asset, this);
    this.panels.set(asset.id, panel);
    return panel.cell;
  }

  update(asset: Asset, name: string): void {
    this.panels.get(asset.id)?.update(asset);
    const select = this.selectCells.get(asset.id);
    if (select && select.name !== name) {
      select.name = name;
      select.box?.setAttribute("aria-label", `Select ${name}`);
    }
  }

  forget(assetId: number): void {
    this.panels.delete(assetId);
    if (this.selectCells.delete(assetId)) this.onSelectionChange();
  }

  /** The row's selection cell (the checkbox appears once the viewer may run pre-labelers). */
  selectCellFor(asset: Asset, name: string): HTMLTableCellElement {
    const entry = { cell: h("td", { className: "col-select" }), box: null as HTMLInputElement | null, name };
    this.selectCells.set(asset.id, entry);
    this.renderSelectBox(asset.id);
    return entry.cell;
  }

  private renderSelectBox(assetId: number): void {
    const entry = this.selectCells.get(assetId);
    if (!entry || !this.canRun || entry.box) return;
    entry.box = h("input", {
      className: "select-box",
      attrs: { type: "checkbox", value: String(assetId), "aria-label": `Select ${entry.name}` },
    });
    entry.box.addEventListener("change", () => this.onSelectionChange());
    entry.cell.append(entry.box);
  }

  /** Ids of the checked rows, in the order the rows first appeared. */
  selected(): number[] {
    return [...this.selectCells.entries()].filter(([, entry]) => entry.box?.checked).map(([id]) => id);
  }

  selectableCount(): number {
    return [...this.selectCells.values()].filter((entry) => entry.box).length;
  }

  selectAll(on: boolean): void {
    for (const entry of this.selectCells.values()) if (entry.box) entry.box.checked = on;
    this.onSelectionChange();
  }

  /** Jobs were requested for these assets: their job lists are fetched on the next poll. */
  expect(assetIds: number[]): void {
    for (const id of assetIds) this.panels.get(id)?.expect();
  }

  configure(registry: Prelabeler[], canRun: boolean, auto: string[]): void {
    this.registry = registry;
    this.canRun = canRun;
    this.auto = auto;
    for (const panel of this.panels.values()) panel.renderControls();
    for (const id of this.selectCells.keys()) this.renderSelectBox(id);
    this.onSelectionChange();
  }

  setAuto(auto: string[]): void {
    this.auto = auto;
  }

  /** Fetch the job lists that may have changed; true while any job may still move. */
  async sync(): Promise<boolean> {
    const due = [...this.panels.values()].filter((panel) => panel.due);
    await Promise.all(due.map((panel) => panel.load()));
    return [...this.panels.values()].some((panel) => panel.busy);
  }
}

/** The owners' and managers' checklist of pre-labelers run on every new ready asset. */
export function wireAutoRun(
  fieldset: HTMLFieldSetElement,
  status: HTMLElement,
  projectUrl: string,
  registry: Prelabeler[],
  chosen: string[],
  onSaved: (names: string[]) => void,
): void {
  let saved = [...chosen];
  const boxes = registry.map((prelabeler) => {
    const box = h("input", { className: "auto-box", attrs: { type: "checkbox", value: prelabeler.name } });
    box.checked = saved.includes(prelabeler.name);
    const needs = prelabeler.inputs.map(inputText).join(", ");
    fieldset.append(
      h(
        "label",
        { className: "auto-option" },
        box,
        h("span", { className: "auto-name", text: prelabeler.name }),
        h("span", { className: "auto-description muted", text: `${prelabeler.description} Needs ${needs}.` }),
      ),
    );
    return box;
  });
  const describe = (names: string[]) =>
    names.length ? `Runs on new media: ${names.join(", ")}` : "Nothing runs automatically.";
  setText(status, describe(saved));
  // Saves go one at a time, each sending the boxes as they are then, so the last click wins.
  let pending: Promise<void> = Promise.resolve();
  const save = async (): Promise<void> => {
    const wanted = boxes.filter((b) => b.checked).map((b) => b.value);
    status.classList.remove("error");
    setText(status, "Saving…");
    try {
      const project = (await patchJson(projectUrl, { auto_prelabelers: wanted })) as { auto_prelabelers: string[] };
      saved = project.auto_prelabelers;
      onSaved(saved);
      setText(status, `Saved. ${describe(saved)}`);
    } catch (caught) {
      for (const b of boxes) b.checked = saved.includes(b.value);
      status.classList.add("error");
      setText(status, caught instanceof ApiError ? caught.message : "Could not save the choice.");
    }
  };
  for (const box of boxes) {
    box.addEventListener("change", () => {
      pending = pending.then(save);
    });
  }
  fieldset.setAttribute("aria-describedby", status.id);
}

interface SelectionRun {
  jobs: PrelabelJob[];
  skipped: { asset: number; reason: string }[];
}

export interface SelectionControls {
  head: HTMLElement;
  bar: HTMLElement;
  count: HTMLElement;
  choice: HTMLSelectElement;
  run: HTMLButtonElement;
  status: HTMLElement;
}

/** What a selection run did, in words: queued, reused and skipped assets. */
export function selectionSummary(name: string, result: SelectionRun): string {
  const reused = result.jobs.filter((job) => job.state === "succeeded").length;
  const started = result.jobs.length - reused;
  const parts = [`${name}: ${started} started`];
  if (reused) parts.push(`${reused} already done`);
  if (result.skipped.length) {
    const reasons = [...new Set(result.skipped.map((skip) => skip.reason))].slice(0, 3).join(" ");
    parts.push(`${result.skipped.length} skipped (${reasons})`);
  }
  return parts.join(", ");
}

/**
 * "Select all", the selected count and "Run on selected" for owners and managers: one request
 * runs the chosen pre-labeler on every checked asset; the server reuses finished jobs and says
 * which assets it skipped (no audio, not ready...).
 */
export function wireSelection(board: JobBoard, controls: SelectionControls, projectId: string, registry: Prelabeler[]): void {
  const all = h("input", { className: "select-all", attrs: { type: "checkbox", "aria-label": "Select all media" } });
  controls.head.replaceChildren(all);
  controls.choice.replaceChildren(
    ...registry.map((p) => h("option", { text: p.name, attrs: { value: p.name, title: p.description } })),
  );
  const params = new ParamForm("the selected media");
  controls.status.before(params.element);
  const showParams = (): void => params.show(registry.find((p) => p.name === controls.choice.value));
  controls.choice.addEventListener("change", showParams);
  showParams();
  let sending = false;
  const refresh = (): void => {
    const chosen = board.selected().length;
    const total = board.selectableCount();
    all.checked = total > 0 && chosen === total;
    all.indeterminate = chosen > 0 && chosen < total;
    all.disabled = total === 0;
    setText(controls.count, chosen ? `${chosen} selected` : "None selected");
    controls.run.disabled = sending || chosen === 0 || !controls.choice.value;
  };
  board.onSelectionChange = refresh;
  all.addEventListener("change", () => board.selectAll(all.checked));
  controls.run.addEventListener("click", () => {
    const ids = board.selected();
    const name = controls.choice.value;
    if (!ids.length || !name) return;
    const chosen = params.values();
    if (chosen === null) return;
    sending = true;
    refresh();
    controls.status.classList.remove("error");
    setText(controls.status, `Starting ${name} on ${ids.length}…`);
    postJson(`/api/projects/${projectId}/prelabel/`, { prelabeler: name, asset_ids: ids, params: chosen })
      .then((body) => {
        const result = body as SelectionRun;
        setText(controls.status, selectionSummary(name, result));
        board.expect(result.jobs.map((job) => job.asset));
        board.poke();
      })
      .catch((caught: unknown) => {
        controls.status.classList.add("error");
        setText(controls.status, runFailure(name, caught, params));
      })
      .finally(() => {
        sending = false;
        refresh();
      });
  });
  controls.bar.hidden = false;
  refresh();
}
