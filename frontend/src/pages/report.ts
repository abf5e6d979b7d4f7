/** One version's agreement report, drawn from the report JSON the release API serves. */

import "../releases/releases.css";

import { ApiError } from "../api";
import { byId, setText } from "../dom";
import { getReport, getVersion } from "../releases/api";
import { renderReport } from "../releases/reportView";
import { ACTIVE_VERSION_STATES, type DatasetVersion } from "../releases/types";

const POLL_MS = 1500;

const pause = (ms: number): Promise<void> => new Promise((resolve) => window.setTimeout(resolve, ms));

export async function initReport(): Promise<void> {
  const versionId = document.body.dataset.versionId;
  if (!versionId || !/^\d+$/.test(versionId)) throw new Error("the page does not name a version");
  const container = byId("report", HTMLElement);
  const notice = byId("report-notice", HTMLElement);
  const title = byId("report-title", HTMLElement);
  const say = (text: string) => {
    setText(notice, text);
    notice.hidden = !text;
  };
  try {
    let version: DatasetVersion = await getVersion(versionId);
    setText(title, `Agreement report · version ${version.version}`);
    // A version still building gets its report when the build ends; the page waits for it.
    while (ACTIVE_VERSION_STATES.has(version.state)) {
      container.dataset.state = "waiting";
      say(`Version ${version.version} is ${version.state} (${version.progress}%); its report appears once it is built.`);
      await pause(POLL_MS);
      version = await getVersion(versionId);
    }
    if (version.state !== "ready") {
      say(`Version ${version.version} failed to build, so it has no report.${version.error ? ` ${version.error}` : ""}`);
      container.dataset.state = "failed";
      return;
    }
    renderReport(container, await getReport(version));
    say("");
    container.dataset.state = "ready";
  } catch (caught) {
    say(caught instanceof ApiError ? caught.message : "Could not load the report.");
    container.dataset.state = "error";
  }
}
