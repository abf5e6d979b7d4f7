/**
 * The project page's "Labeling" card: pick a built-in label schema in one click (owners), set how
 * many annotators label each item and hand items out (owners and managers), and watch each
 * annotator's progress (owners, managers, reviewers). Every action is one REST call the API
 * already checks; the card only hides what the role cannot do.
 */

import { ApiError, getJson, listOf, postJson, putJson } from "./api";
import { byId, h, setText } from "./dom";

interface SchemaTemplate {
  slug: string;
  title: string;
  description: string;
}

interface CurrentSchema {
  version: number;
  template: string;
  definition: { title?: string; fields?: unknown[] };
}

interface AnnotatorProgress {
  annotator: string;
  total: number;
  done: number;
}

interface Settings {
  overlap: number;
  strategy: string;
}

const SCHEMA_ROLES = new Set(["owner"]);
const ASSIGN_ROLES = new Set(["owner", "manager"]);
const PROGRESS_ROLES = new Set(["owner", "manager", "reviewer"]);

function message(caught: unknown, fallback: string): string {
  return caught instanceof ApiError ? caught.message : fallback;
}

async function showSchema(projectId: string): Promise<void> {
  const current = byId("schema-current", HTMLElement);
  try {
    const schema = (await getJson(`/api/projects/${projectId}/schema/`)) as CurrentSchema;
    const title = schema.definition.title || schema.template || "Label schema";
    const fields = schema.definition.fields?.length ?? 0;
    setText(current, `${title} — version ${schema.version}, ${fields} field${fields === 1 ? "" : "s"}`);
  } catch (caught) {
    setText(current, caught instanceof ApiError && caught.status === 404 ? "No label schema yet." : message(caught, "Could not load the schema."));
  }
}

async function wireTemplates(projectId: string): Promise<void> {
  const choice = byId("schema-template", HTMLSelectElement);
  const use = byId("schema-use", HTMLButtonElement);
  const status = byId("schema-status", HTMLElement);
  const templates = listOf<SchemaTemplate>(await getJson("/api/schema-templates/"));
  for (const template of templates) {
    choice.append(h("option", { text: template.title, attrs: { value: template.slug, title: template.description } }));
  }
  byId("schema-choose", HTMLElement).hidden = false;
  use.addEventListener("click", async () => {
    use.disabled = true;
    setText(status, "Publishing…");
    try {
      const schema = (await postJson(`/api/projects/${projectId}/schema/`, { template: choice.value })) as CurrentSchema;
      setText(status, `Now labeling with version ${schema.version}.`);
      await showSchema(projectId);
    } catch (caught) {
      setText(status, message(caught, "Could not publish the schema."));
    } finally {
      use.disabled = false;
    }
  });
}

async function wireAssignments(projectId: string, onChange: () => Promise<void>): Promise<void> {
  const settingsUrl = `/api/projects/${projectId}/annotation-settings/`;
  const overlap = byId("assign-overlap", HTMLInputElement);
  const strategy = byId("assign-strategy", HTMLSelectElement);
  const run = byId("assign-run", HTMLButtonElement);
  const status = byId("assign-status", HTMLElement);
  const settings = (await getJson(settingsUrl)) as Settings;
  overlap.value = String(settings.overlap);
  strategy.value = settings.strategy;
  byId("assign-block", HTMLElement).hidden = false;
  run.addEventListener("click", async () => {
    run.disabled = true;
    setText(status, "Handing out items…");
    try {
      await putJson(settingsUrl, { overlap: Number(overlap.value), strategy: strategy.value });
      const result = (await postJson(`/api/projects/${projectId}/assignments/generate/`, {})) as {
        created: number;
        items_short: number;
      };
      const short = result.items_short ? `; ${result.items_short} item(s) still need more annotators` : "";
      setText(status, `${result.created} new assignment(s)${short}.`);
      await onChange();
    } catch (caught) {
      setText(status, message(caught, "Could not hand out items."));
    } finally {
      run.disabled = false;
    }
  });
}

async function showProgress(projectId: string): Promise<void> {
  const rows = byId("progress-rows", HTMLTableSectionElement);
  const empty = byId("progress-empty", HTMLElement);
  const people = listOf<AnnotatorProgress>(await getJson(`/api/projects/${projectId}/assignments/progress/`));
  rows.replaceChildren(
    ...people.map((person) =>
      h(
        "tr",
        { data: { annotator: person.annotator } },
        h("th", { text: person.annotator, attrs: { scope: "row" } }),
        h("td", { className: "num", text: `${person.done} of ${person.total}` }),
        h(
          "td",
          {},
          h("progress", {
            className: "bar",
            attrs: { max: String(Math.max(person.total, 1)), value: String(person.done), "aria-label": `${person.annotator}'s progress` },
          }),
        ),
      ),
    ),
  );
  empty.hidden = people.length > 0;
  byId("progress-block", HTMLElement).hidden = false;
}

/** Shows the card's parts this role may use; does nothing for annotators. */
export async function initLabelingSetup(projectId: string, role: string): Promise<void> {
  if (!PROGRESS_ROLES.has(role)) return;
  byId("labeling-section", HTMLElement).hidden = false;
  await showSchema(projectId);
  if (SCHEMA_ROLES.has(role)) await wireTemplates(projectId);
  const refresh = () => showProgress(projectId);
  if (ASSIGN_ROLES.has(role)) await wireAssignments(projectId, refresh);
  await refresh();
}
