/**
 * The project page's setup cards for owners and managers: the labeling guidelines (Markdown with
 * the server's sanitised preview), gold items with accuracy per annotator, and the label schema as
 * JSON published as a new version.
 *
 * The API decides: guidelines and schema need CHANGE_SCHEMA (owners), gold items MANAGE_MEMBERS
 * (owners and managers). The cards are only shown to those roles; every refusal the API sends
 * back (a value that does not fit the schema, a change that needs a class mapping) is shown with
 * its JSON path so the author can fix it where it is.
 */

import "./review/review.css";
import "./projectConfig.css";

import { ApiError, Refused, failureText, getJson, listOf, sendJson, type ProblemItem } from "./api";
import { byId, h, setText } from "./dom";

const GUIDELINE_ROLES = new Set(["owner"]);
const GOLD_ROLES = new Set(["owner", "manager"]);
const SCHEMA_ROLES = new Set(["owner"]);

interface Guidelines {
  markdown: string;
  html: string;
  updated_at: string;
  updated_by: string | null;
}

interface GoldItem {
  item: number;
  values: unknown;
  schema_version: number;
  created_by: string | null;
}

interface FieldAccuracy {
  n: number;
  score: number | null;
  mae?: number;
  argmax_match?: number;
}

interface GoldAccuracy {
  gold_items: number;
  annotators: { annotator: string; items: number; fields: Record<string, FieldAccuracy>; overall: FieldAccuracy }[];
}

interface MediaEntry {
  id: number;
  original_name: string;
  status: string;
}

interface SchemaVersion {
  version: number;
  definition: { title?: string; fields?: { name: string; kind: string }[] };
  class_mapping: Record<string, string | null>;
  note: string;
  created_by: string | null;
  created_at: string;
}

function status(element: HTMLElement, text: string, error = false): void {
  setText(element, text);
  element.classList.toggle("error", error);
}

function showProblems(list: HTMLUListElement, problems: ProblemItem[]): void {
  list.replaceChildren(...problems.map((p) => h("li", {}, h("code", { text: p.path || "—" }), ` ${p.message}`)));
  list.hidden = problems.length === 0;
}

/** Parses a text box as JSON; a mistake becomes a problem at `path` instead of an exception. */
function parseBox(box: HTMLTextAreaElement, path: string): { value?: unknown; problem?: ProblemItem } {
  try {
    return { value: JSON.parse(box.value) };
  } catch (caught) {
    return { problem: { path, message: `not valid JSON: ${caught instanceof Error ? caught.message : "parse error"}` } };
  }
}

function when(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : date.toLocaleString();
}

// ---------------------------------------------------------------- guidelines

async function wireGuidelines(projectId: string): Promise<void> {
  const url = `/api/projects/${projectId}/guidelines/`;
  const box = byId("guidelines-markdown", HTMLTextAreaElement);
  const preview = byId("guidelines-preview", HTMLElement);
  const meta = byId("guidelines-meta", HTMLElement);
  const save = byId("guidelines-save", HTMLButtonElement);
  const note = byId("guidelines-status", HTMLElement);
  const show = (found: Guidelines | null) => {
    if (found && found.html.trim()) {
      // Rendered and sanitised by the server (annotation/services/guidelines.py), like the labeling page.
      preview.innerHTML = found.html;
    } else {
      preview.replaceChildren(h("p", { className: "muted", text: "No guidelines yet." }));
    }
    setText(meta, found ? `Last saved ${when(found.updated_at)}${found.updated_by ? ` by ${found.updated_by}` : ""}` : "");
  };
  try {
    const found = (await getJson(url)) as Guidelines;
    box.value = found.markdown;
    show(found);
  } catch (caught) {
    if (!(caught instanceof ApiError && caught.status === 404)) throw caught;
    show(null);
  }
  byId("guidelines-section", HTMLElement).hidden = false;
  let saved = box.value;
  box.addEventListener("input", () => {
    status(note, box.value === saved ? "" : "Unsaved changes: save to update the preview.");
  });
  save.addEventListener("click", async () => {
    save.disabled = true;
    status(note, "Saving…");
    try {
      const { body } = await sendJson("PUT", url, { markdown: box.value });
      const found = body as Guidelines;
      saved = found.markdown;
      show(found);
      status(note, "Saved. Annotators see this version from their next item.");
    } catch (caught) {
      status(note, failureText(caught, "Could not save the guidelines."), true);
    } finally {
      save.disabled = false;
    }
  });
}

// ---------------------------------------------------------------- gold items

class GoldPanel {
  private golds: GoldItem[] = [];
  private names = new Map<number, string>();
  private readonly form = byId("gold-form", HTMLFormElement);
  private readonly item = byId("gold-item", HTMLSelectElement);
  private readonly values = byId("gold-values", HTMLTextAreaElement);
  private readonly problems = byId("gold-errors", HTMLUListElement);
  private readonly note = byId("gold-status", HTMLElement);
  private readonly save = byId("gold-save", HTMLButtonElement);
  private readonly rows = byId("gold-rows", HTMLTableSectionElement);

  constructor(private readonly projectId: string) {
    this.form.addEventListener("submit", (event) => {
      event.preventDefault();
      void this.submit();
    });
    this.item.addEventListener("change", () => this.syncButton());
  }

  private get url(): string {
    return `/api/projects/${this.projectId}/gold/`;
  }

  async load(): Promise<void> {
    const [media] = await Promise.all([
      getJson(`/api/projects/${this.projectId}/media/?limit=1000`).then(
        (body) => listOf<MediaEntry>(body),
        () => [] as MediaEntry[],
      ),
      this.refresh(),
    ]);
    const ready = media.filter((m) => m.status === "ready").sort((a, b) => a.id - b.id);
    this.names = new Map(ready.map((m) => [m.id, m.original_name]));
    this.item.replaceChildren(
      ...ready.map((m) => h("option", { text: `#${m.id} ${m.original_name}`, attrs: { value: String(m.id) } })),
    );
    this.item.disabled = ready.length === 0;
    this.syncButton();
    this.renderRows();
    byId("gold-section", HTMLElement).hidden = false;
  }

  async refresh(): Promise<void> {
    const [golds, accuracy] = await Promise.all([
      getJson(this.url).then((body) => listOf<GoldItem>(body)),
      getJson(`${this.url}accuracy/`) as Promise<GoldAccuracy>,
    ]);
    this.golds = golds;
    this.renderRows();
    this.renderAccuracy(accuracy);
    this.syncButton();
  }

  private isGold(itemId: number): boolean {
    return this.golds.some((g) => g.item === itemId);
  }

  private syncButton(): void {
    setText(this.save, this.isGold(Number(this.item.value)) ? "Update gold answer" : "Mark as gold");
    this.save.disabled = this.item.disabled;
  }

  private renderRows(): void {
    this.rows.replaceChildren(
      ...this.golds.map((gold) => {
        const edit = h("button", { className: "button ghost small", text: "Edit", attrs: { type: "button" } });
        const remove = h("button", { className: "button ghost small", text: "Remove", attrs: { type: "button" } });
        const name = this.names.get(gold.item);
        edit.addEventListener("click", () => {
          this.item.value = String(gold.item);
          this.values.value = JSON.stringify(gold.values, null, 2);
          this.syncButton();
          this.values.focus();
        });
        remove.addEventListener("click", () => void this.remove(gold.item, remove));
        return h(
          "tr",
          { data: { item: String(gold.item) } },
          h("th", { attrs: { scope: "row" }, text: name ? `#${gold.item} ${name}` : `#${gold.item}` }),
          h("td", {}, h("code", { className: "gold-values", text: JSON.stringify(gold.values) })),
          h("td", { className: "num", text: String(gold.schema_version) }),
          h("td", { text: gold.created_by ?? "" }),
          h("td", { className: "col-actions" }, edit, " ", remove),
        );
      }),
    );
    byId("gold-empty", HTMLElement).hidden = this.golds.length > 0;
    setText(byId("gold-summary", HTMLElement), `${this.golds.length} gold item${this.golds.length === 1 ? "" : "s"}`);
  }

  private renderAccuracy(report: GoldAccuracy): void {
    const fields = [...new Set(report.annotators.flatMap((a) => Object.keys(a.fields)))].sort();
    const score = (f: FieldAccuracy | undefined) =>
      f && f.score !== null ? `${Math.round(f.score * 100)}% (n=${f.n})` : "—";
    byId("accuracy-head", HTMLTableRowElement).replaceChildren(
      h("th", { text: "Annotator", attrs: { scope: "col" } }),
      h("th", { className: "num", text: "Gold items", attrs: { scope: "col" } }),
      h("th", { className: "num", text: "Overall", attrs: { scope: "col" } }),
      ...fields.map((name) => h("th", { className: "num", text: name, attrs: { scope: "col" } })),
    );
    byId("accuracy-rows", HTMLTableSectionElement).replaceChildren(
      ...report.annotators.map((row) =>
        h(
          "tr",
          { data: { annotator: row.annotator } },
          h("th", { text: row.annotator, attrs: { scope: "row" } }),
          h("td", { className: "num", text: String(row.items) }),
          h("td", { className: "num", text: score(row.overall), data: { field: "overall" } }),
          ...fields.map((name) => h("td", { className: "num", text: score(row.fields[name]), data: { field: name } })),
        ),
      ),
    );
    byId("accuracy-empty", HTMLElement).hidden = report.annotators.length > 0;
  }

  private async submit(): Promise<void> {
    const itemId = Number(this.item.value);
    if (!itemId) return;
    const parsed = parseBox(this.values, "values");
    if (parsed.problem) {
      showProblems(this.problems, [parsed.problem]);
      status(this.note, "Fix the values and try again.", true);
      return;
    }
    showProblems(this.problems, []);
    this.save.disabled = true;
    status(this.note, "Saving…");
    const updating = this.isGold(itemId);
    try {
      if (updating) await sendJson("PUT", `${this.url}${itemId}/`, { values: parsed.value });
      else await sendJson("POST", this.url, { item: itemId, values: parsed.value });
      status(this.note, updating ? `Gold answer of item #${itemId} updated.` : `Item #${itemId} is now gold.`);
      this.values.value = "";
      await this.refresh();
    } catch (caught) {
      if (caught instanceof Refused) showProblems(this.problems, caught.problems);
      status(this.note, failureText(caught, "Could not save the gold item."), true);
    } finally {
      this.syncButton();
    }
  }

  private async remove(itemId: number, button: HTMLButtonElement): Promise<void> {
    button.disabled = true;
    try {
      await sendJson("DELETE", `${this.url}${itemId}/`);
      status(this.note, `Item #${itemId} is no longer gold.`);
      await this.refresh();
    } catch (caught) {
      button.disabled = false;
      status(this.note, failureText(caught, "Could not remove the gold item."), true);
    }
  }
}

// ---------------------------------------------------------------- schema editor

async function wireSchemaEditor(projectId: string): Promise<void> {
  const url = `/api/projects/${projectId}/schema/`;
  const definition = byId("schema-definition", HTMLTextAreaElement);
  const mapping = byId("schema-mapping", HTMLTextAreaElement);
  const note = byId("schema-note", HTMLInputElement);
  const problems = byId("schema-errors", HTMLUListElement);
  const unmappedBox = byId("schema-unmapped", HTMLElement);
  const unmappedText = byId("schema-unmapped-text", HTMLElement);
  const fill = byId("schema-fill-mapping", HTMLButtonElement);
  const publish = byId("schema-publish", HTMLButtonElement);
  const said = byId("schema-publish-status", HTMLElement);
  const versionLabel = byId("schema-editor-version", HTMLElement);
  const reload = byId("schema-reload", HTMLButtonElement);
  let unmapped: string[] = [];
  // The version the editor's text started from: publishing on top of a newer one (say, a template
  // picked in the Labeling card meanwhile) would silently undo it, so that is refused below.
  let base: SchemaVersion | null = null;
  let latest: SchemaVersion | null = null;

  const load = (version: SchemaVersion | null) => {
    base = version;
    definition.value = version ? JSON.stringify(version.definition, null, 2) : "";
    reload.hidden = true;
  };

  const showVersions = async () => {
    const versions = listOf<SchemaVersion>(await getJson(`${url}versions/`));
    const current = versions[0];
    latest = current ?? null;
    setText(versionLabel, current ? `current: version ${current.version}` : "no version yet");
    byId("schema-versions", HTMLOListElement).replaceChildren(
      ...versions.map((v) =>
        h(
          "li",
          { data: { version: String(v.version) } },
          h("strong", { text: `Version ${v.version}` }),
          ` · ${when(v.created_at)}${v.created_by ? ` · ${v.created_by}` : ""}`,
          v.note ? ` · ${v.note}` : "",
          Object.keys(v.class_mapping ?? {}).length ? ` · mapping ${JSON.stringify(v.class_mapping)}` : "",
        ),
      ),
    );
    const summary = byId("schema-current", HTMLElement);
    if (current) {
      const title = current.definition.title || "Label schema";
      const count = current.definition.fields?.length ?? 0;
      setText(summary, `${title} — version ${current.version}, ${count} field${count === 1 ? "" : "s"}`);
    }
  };
  await showVersions();
  load(latest);
  byId("schema-section", HTMLElement).hidden = false;
  reload.addEventListener("click", () => {
    load(latest);
    showProblems(problems, []);
    status(said, latest ? `Loaded version ${latest.version}.` : "");
  });

  const showUnmapped = (ids: string[]) => {
    unmapped = ids;
    unmappedBox.hidden = ids.length === 0;
    setText(
      unmappedText,
      ids.length
        ? `This change removes or renames ${ids.join(", ")}. Say in the class mapping what each becomes: a new id, or null to drop its labels.`
        : "",
    );
  };

  fill.addEventListener("click", () => {
    const current = mapping.value.trim() ? parseBox(mapping, "class_mapping") : { value: {} };
    const base = current.value && typeof current.value === "object" && !Array.isArray(current.value) ? current.value : {};
    const merged: Record<string, unknown> = { ...(base as Record<string, unknown>) };
    for (const id of unmapped) if (!(id in merged)) merged[id] = null;
    mapping.value = JSON.stringify(merged, null, 2);
    mapping.focus();
  });

  publish.addEventListener("click", async () => {
    const found: ProblemItem[] = [];
    const parsed = parseBox(definition, "definition");
    if (parsed.problem) found.push(parsed.problem);
    const body: Record<string, unknown> = { definition: parsed.value, note: note.value };
    if (mapping.value.trim()) {
      const map = parseBox(mapping, "class_mapping");
      if (map.problem) found.push(map.problem);
      else body.class_mapping = map.value;
    }
    if (found.length) {
      showProblems(problems, found);
      status(said, "Fix the JSON and try again.", true);
      return;
    }
    showProblems(problems, []);
    publish.disabled = true;
    status(said, "Publishing…");
    try {
      await showVersions();
      const started = (base as SchemaVersion | null)?.version ?? null;
      const now = (latest as SchemaVersion | null)?.version ?? null;
      if (now !== started) {
        reload.hidden = false;
        status(
          said,
          `Version ${now} was published after this editor loaded ${started === null ? "an empty schema" : `version ${started}`}. ` +
            "Load it and make your change again, so that it is not undone.",
          true,
        );
        return;
      }
      const sent = await sendJson("POST", url, body);
      const schema = sent.body as SchemaVersion;
      showUnmapped([]);
      status(
        said,
        sent.status === 201 ? `Published version ${schema.version}.` : `Nothing changed: still version ${schema.version}.`,
      );
      mapping.value = "";
      note.value = "";
      await showVersions();
      load(latest);
    } catch (caught) {
      if (caught instanceof Refused) {
        showProblems(problems, caught.problems);
        showUnmapped(caught.unmapped);
      }
      status(said, failureText(caught, "Could not publish the schema."), true);
    } finally {
      publish.disabled = false;
    }
  });
}

/** Shows and wires the setup cards this role may use; annotators and reviewers get none. */
export async function initProjectConfig(projectId: string, role: string): Promise<void> {
  const work: Promise<void>[] = [];
  if (GUIDELINE_ROLES.has(role)) work.push(wireGuidelines(projectId));
  if (GOLD_ROLES.has(role)) work.push(new GoldPanel(projectId).load());
  if (SCHEMA_ROLES.has(role)) work.push(wireSchemaEditor(projectId));
  const results = await Promise.allSettled(work);
  const failed = results.find((r): r is PromiseRejectedResult => r.status === "rejected");
  if (failed) throw failed.reason;
}
