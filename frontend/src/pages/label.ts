/** The labeling pages: one assignment (`label`) and the entry point that finds the next one (`label-start`). */

import "../label/label.css";

import { ApiError, getJson } from "../api";
import { byId } from "../dom";
import { labelUrl, openLabelPage } from "../label/page";

export async function initLabel(): Promise<void> {
  const id = Number(document.body.dataset.assignmentId);
  try {
    await openLabelPage(id, document.body.dataset.styleNonce ?? "");
  } catch (error) {
    const notice = byId("label-notice", HTMLParagraphElement);
    notice.hidden = false;
    notice.classList.add("error");
    notice.textContent = error instanceof ApiError ? error.message : "The labeling page could not start.";
    throw error;
  }
}

export async function initLabelStart(): Promise<void> {
  const projectId = Number(document.body.dataset.projectId);
  const status = byId("start-status", HTMLParagraphElement);
  try {
    const body = (await getJson(`/api/projects/${projectId}/queue/next/`)) as {
      assignment: { id: number } | null;
      progress: { done: number; total: number };
    };
    if (body.assignment) {
      window.location.replace(labelUrl(body.assignment.id));
      return;
    }
    status.textContent = body.progress.total
      ? `All ${body.progress.total} of your items are done. Thank you!`
      : "Nothing is assigned to you in this project yet.";
  } catch (error) {
    status.textContent =
      error instanceof ApiError && error.status === 403
        ? "Your role in this project does not include labeling."
        : error instanceof ApiError
          ? error.message
          : "Your queue could not be loaded.";
  }
}
