/** A project's releases: the version list with live build progress, and the create form where allowed. */

import "../releases/releases.css";

import { byId } from "../dom";
import { CreateForm } from "../releases/createForm";
import { VersionList } from "../releases/versionList";

export async function initReleases(): Promise<void> {
  const projectId = document.body.dataset.projectId;
  if (!projectId || !/^\d+$/.test(projectId)) throw new Error("the page does not name a project");
  const list = new VersionList(
    projectId,
    byId("release-list", HTMLUListElement),
    byId("release-empty", HTMLElement),
    byId("release-notice", HTMLElement),
    document.body.dataset.canExport === "true",
  );
  const loading = list.refresh();
  // The server renders the form only for members who may export; its absence is the permission.
  const formElement = document.getElementById("release-form");
  if (formElement instanceof HTMLFormElement) {
    new CreateForm(projectId, formElement, (version) => list.add(version));
  }
  await loading;
}
