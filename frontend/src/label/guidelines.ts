/** The project's guidelines beside the task. The HTML is sanitised by the server; 404 = none yet. */

import { ApiError, getJson } from "../api";
import { h } from "../dom";

export async function showGuidelines(projectId: number, host: HTMLElement): Promise<void> {
  try {
    const body = (await getJson(`/api/projects/${projectId}/guidelines/`)) as { html?: unknown };
    if (typeof body.html === "string" && body.html.trim()) {
      host.innerHTML = body.html;
      return;
    }
    host.replaceChildren(h("p", { className: "muted", text: "This project has no guidelines yet." }));
  } catch (error) {
    const none = error instanceof ApiError && error.status === 404;
    host.replaceChildren(
      h("p", { className: "muted", text: none ? "This project has no guidelines yet." : "The guidelines could not be loaded." }),
    );
  }
}
