/** The project list: the user's projects with their role and size, and a form to start one. */

import { ApiError, getJson, listOf, postJson } from "../api";
import { byId, h } from "../dom";
import { plural } from "../format";
import type { Project } from "../types";

const ROLE_LABELS: Record<string, string> = {
  owner: "Owner",
  manager: "Manager",
  annotator: "Annotator",
  reviewer: "Reviewer",
};

function projectCard(project: Project): HTMLLIElement {
  const role = project.role ?? "";
  return h(
    "li",
    { className: "project-card", data: { projectId: String(project.id) } },
    h(
      "a",
      { className: "project-link", attrs: { href: `/projects/${project.id}/` } },
      h("span", { className: "project-name", text: project.name }),
      project.description ? h("span", { className: "project-description", text: project.description }) : null,
      h(
        "span",
        { className: "project-meta" },
        h("span", { className: `badge role-${role}`, text: ROLE_LABELS[role] ?? role }),
        h("span", { className: "asset-count", text: plural(project.asset_count, "item") }),
      ),
    ),
  );
}

function renderList(list: HTMLUListElement, projects: Project[]): void {
  list.replaceChildren(...projects.map(projectCard));
  if (!projects.length) {
    list.append(h("li", { className: "empty", text: "No projects yet. Name one above to get started." }));
  }
}

export async function initProjectList(): Promise<void> {
  const list = byId("project-list", HTMLUListElement);
  const form = byId("new-project", HTMLFormElement);
  const error = byId("new-project-error", HTMLParagraphElement);
  const button = form.querySelector("button");
  const input = form.elements.namedItem("name");
  if (!(input instanceof HTMLInputElement) || !button) throw new Error("the new-project form is incomplete");
  let projects: Project[] = [];

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    error.hidden = true;
    button.disabled = true;
    try {
      const created = (await postJson("/api/projects/", { name: input.value.trim() })) as Project;
      projects = [created, ...projects];
      renderList(list, projects);
      form.reset();
    } catch (caught) {
      error.textContent = caught instanceof ApiError ? caught.message : "Could not create the project.";
      error.hidden = false;
    } finally {
      button.disabled = false;
    }
  });

  list.setAttribute("aria-busy", "true");
  try {
    projects = listOf<Project>(await getJson("/api/projects/"));
    renderList(list, projects);
  } catch (caught) {
    const message = caught instanceof ApiError ? caught.message : "Could not load your projects.";
    list.replaceChildren(h("li", { className: "empty error", text: message }));
  } finally {
    list.removeAttribute("aria-busy");
  }
}
