/** A stale save: both versions side by side; the annotator keeps theirs (re-based) or takes the server's. */

import { byId } from "../dom";
import type { Revision, Values } from "./types";

export function askConflict(mine: Values, latest: Revision | null): Promise<"keep" | "take"> {
  const dialog = byId("conflict", HTMLDialogElement);
  byId("conflict-mine", HTMLPreElement).textContent = JSON.stringify(mine, null, 2);
  byId("conflict-theirs", HTMLPreElement).textContent = JSON.stringify(latest?.values ?? {}, null, 2);
  byId("conflict-number", HTMLSpanElement).textContent = latest ? String(latest.number) : "none";
  const keep = byId("conflict-keep", HTMLButtonElement);
  const take = byId("conflict-take", HTMLButtonElement);
  return new Promise((resolve) => {
    const done = (choice: "keep" | "take"): void => {
      keep.removeEventListener("click", onKeep);
      take.removeEventListener("click", onTake);
      dialog.removeEventListener("cancel", onCancel);
      dialog.close();
      resolve(choice);
    };
    const onKeep = (): void => done("keep");
    const onTake = (): void => done("take");
    const onCancel = (event: Event): void => event.preventDefault(); // a choice is needed
    keep.addEventListener("click", onKeep);
    take.addEventListener("click", onTake);
    dialog.addEventListener("cancel", onCancel);
    dialog.showModal();
  });
}
