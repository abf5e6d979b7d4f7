import "./style.css";

import { initProject } from "./pages/project";
import { initProjectList } from "./pages/projectList";

const PAGES: Record<string, () => Promise<void>> = {
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
