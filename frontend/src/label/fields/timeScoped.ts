/** Item-level kinds declared over time ("scope": "time") are shown but not edited on this page. */

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
