/**
 * Item-level kinds declared over time ("scope": "time") that the window grid does not edit (other
 * modes and kinds, spans without a window, items without media) are shown but not edited here.
 */

import { h } from "../../dom";
import type { Field } from "../types";
import { fieldShell } from "./common";

export function renderTimeScoped(field: Field): HTMLElement {
  return fieldShell(
    field,
    h("p", {
      className: "alert",
      text: "This field is labeled per time window; this page cannot edit time-windowed values yet. Values saved elsewhere are kept unchanged.",
    }),
  );
}
