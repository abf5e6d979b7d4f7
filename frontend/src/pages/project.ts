/** One project: the upload zone (for roles that may upload) and the live asset table. */

import { AssetTable } from "../assets";
import { ApiError, getJson, listOf } from "../api";
import { byId } from "../dom";
import { Player } from "../player";
import { initLabelingSetup } from "../labelingSetup";
import { initProjectConfig } from "../projectConfig";
import { JobBoard, wireAutoRun, wireSelection } from "../prelabel";
import { UPLOAD_ROLES, type Prelabeler, type Project } from "../types";
import { UploadQueue } from "../uploads";

const ROLE_LABELS: Record<string, string> = {
  owner: "Owner",
  manager: "Manager",
  annotator: "Annotator",
  reviewer: "Reviewer",
};

const REVIEW_ROLES: ReadonlySet<string> = new Set(["owner", "manager", "reviewer"]);

/** Files from a drop, leaving out folders (which browsers list as files that cannot be read). */
function droppedFiles(transfer: DataTransfer): File[] {
  const files: File[] = [];
  const items = [...transfer.items];
  if (items.length && typeof items[0]?.webkitGetAsEntry === "function") {
    for (const item of items) {
      if (item.kind !== "file" || item.webkitGetAsEntry()?.isDirectory) continue;
      const file = item.getAsFile();
      if (file) files.push(file);
    }
    return files;
  }
  return [...transfer.files];
}

function carriesFiles(event: DragEvent): boolean {
  return [...(event.dataTransfer?.types ?? [])].includes("Files");
}

function wireDropZone(zone: HTMLElement, input: HTMLInputElement, queue: UploadQueue): void {
  const openPicker = () => input.click();
  zone.addEventListener("click", openPicker);
  zone.addEventListener("keydown", (event) => {
    if (event.key === "Enter" || event.key === " ") {
      event.preventDefault();
      openPicker();
    }
  });
  input.addEventListener("change", () => {
    if (input.files?.length) queue.add([...input.files]);
    input.value = "";
  });
  zone.addEventListener("dragenter", (event) => {
    if (!carriesFiles(event)) return;
    event.preventDefault();
    zone.classList.add("dragging");
  });
  zone.addEventListener("dragover", (event) => {
    if (!carriesFiles(event) || !event.dataTransfer) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = "copy";
    zone.classList.add("dragging");
  });
  zone.addEventListener("dragleave", (event) => {
    if (!(event.relatedTarget instanceof Node && zone.contains(event.relatedTarget))) zone.classList.remove("dragging");
  });
  zone.addEventListener("drop", (event) => {
    event.preventDefault();
    zone.classList.remove("dragging");
    if (event.dataTransfer) queue.add(droppedFiles(event.dataTransfer));
  });
  // A file dropped beside the zone must not make the browser navigate away from the page.
  for (const type of ["dragover", "drop"] as const) {
    window.addEventListener(type, (event) => {
      if (carriesFiles(event) && !zone.contains(event.target as Node)) event.preventDefault();
    });
  }
}

export async function initProject(): Promise<void> {
  const projectId = document.body.dataset.projectId;
  if (!projectId || !/^\d+$/.test(projectId)) throw new Error("the page does not name a project");
  const mediaUrl = `/api/projects/${projectId}/media/`;
  let queue: UploadQueue | null = null;
  const jobs = new JobBoard();
  const table = new AssetTable(
    mediaUrl,
    byId("asset-rows", HTMLTableSectionElement),
    byId("asset-empty", HTMLElement),
    byId("asset-summary", HTMLElement),
    byId("asset-notice", HTMLElement),
    new Player(),
    jobs,
    () => queue?.busy ?? false,
  );
  void table.refresh();

  const roleBadge = byId("role-badge", HTMLSpanElement);
  const projectUrl = `/api/projects/${projectId}/`;
  const registryRequest = getJson("/api/prelabelers/").then(
    (body) => listOf<Prelabeler>(body),
    () => [] as Prelabeler[],
  );
  let project: Project;
  try {
    project = (await getJson(projectUrl)) as Project;
  } catch (caught) {
    const notice = byId("asset-notice", HTMLElement);
    notice.textContent = caught instanceof ApiError ? caught.message : "Could not load the project.";
    notice.hidden = false;
    return;
  }
  const role = project.role ?? "";
  roleBadge.textContent = ROLE_LABELS[role] ?? role;
  roleBadge.classList.add(`role-${role}`);
  roleBadge.hidden = !role;
  void initLabelingSetup(projectId, role).catch((caught: unknown) => {
    const notice = byId("asset-notice", HTMLElement);
    notice.textContent = caught instanceof ApiError ? caught.message : "Could not load the labeling settings.";
    notice.hidden = false;
  });
  byId("review-link-row", HTMLElement).hidden = !REVIEW_ROLES.has(role);
  // Releases hold every annotator's labels, so they need the review right too (blind labeling).
  byId("releases-link-row", HTMLElement).hidden = !REVIEW_ROLES.has(role);
  void initProjectConfig(projectId, role).catch((caught: unknown) => {
    const notice = byId("asset-notice", HTMLElement);
    notice.textContent = caught instanceof ApiError ? caught.message : "Could not load the project setup.";
    notice.hidden = false;
  });
  const registry = await registryRequest;
  const manages = UPLOAD_ROLES.has(role);
  jobs.configure(registry, manages, project.auto_prelabelers ?? []);
  if (manages && registry.length) {
    wireAutoRun(
      byId("auto-prelabelers", HTMLFieldSetElement),
      byId("auto-status", HTMLElement),
      projectUrl,
      registry,
      project.auto_prelabelers ?? [],
      (names) => jobs.setAuto(names),
    );
    byId("prelabel-section", HTMLElement).hidden = false;
    wireSelection(
      jobs,
      {
        head: byId("select-head", HTMLTableCellElement),
        bar: byId("selection-bar", HTMLElement),
        count: byId("selection-count", HTMLElement),
        choice: byId("selection-prelabeler", HTMLSelectElement),
        run: byId("selection-run", HTMLButtonElement),
        status: byId("selection-status", HTMLElement),
      },
      projectId,
      registry,
    );
  }
  if (!manages) {
    byId("readonly-note", HTMLElement).hidden = false;
    return;
  }
  queue = new UploadQueue(
    mediaUrl,
    byId("upload-list", HTMLUListElement),
    byId("upload-summary", HTMLElement),
    byId("upload-clear", HTMLButtonElement),
    (asset) => {
      table.upsert(asset);
      void table.refresh();
    },
  );
  wireDropZone(byId("drop-zone", HTMLElement), byId("file-input", HTMLInputElement), queue);
  byId("upload-section", HTMLElement).hidden = false;
}
