import "./style.css";

import { initProject } from "./pages/project";
import { initProjectList } from "./pages/projectList";
import { initReleases } from "./pages/releases";
import { initReport } from "./pages/report";
import { initReview } from "./pages/review";
import { initLabel, initLabelStart } from "./pages/label";

const PAGES: Record<string, () => Promise<void>> = {
  label: initLabel,
  "label-start": initLabelStart,
  releases: initReleases,
  report: initReport,
  review: initReview,
  "project-list": initProjectList,
  project: initProject,
};

async function start(): Promise<void> {
  const init = PAGES[document.body.dataset.page ?? ""];
  if (init) await init();
  document.documentElement.dataset.ready = "true";
}

start().catch((error: unknown) => {
  document.documentElement.dataset.ready = "error";
  console.error(error);
});
