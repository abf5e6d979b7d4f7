/** One widget per field kind, in the schema's order. */

import type { Field } from "../types";
import { renderCategorical } from "./categorical";
import type { FieldContext } from "./context";
import { renderDimensional, type DimensionalHandle } from "./dimensional";
import { renderFacs } from "./facs";
import { renderSegments } from "./segments";
import { renderText } from "./text";
import { renderTimeScoped } from "./timeScoped";
import { renderTrace } from "./trace";
import { isWindowGrid, renderWindowGrid } from "./windowGrid";

export interface RenderedFields {
  dimensional: Map<string, DimensionalHandle>;
}

export function renderFields(fields: Field[], ctx: FieldContext, form: HTMLElement): RenderedFields {
  const dimensional = new Map<string, DimensionalHandle>();
  for (const field of fields) {
    if (field.scope === "time" && field.kind !== "trace" && field.kind !== "segments") {
      const readOnly = (): HTMLElement => renderTimeScoped(field);
      form.append(field.kind === "categorical" && isWindowGrid(field) ? renderWindowGrid(field, ctx, readOnly) : readOnly());
      continue;
    }
    switch (field.kind) {
      case "categorical":
        form.append(renderCategorical(field, ctx));
        break;
      case "dimensional": {
        const handle = renderDimensional(field, ctx);
        dimensional.set(field.name, handle);
        form.append(handle.element);
        break;
      }
      case "segments":
        form.append(renderSegments(field, ctx));
        break;
      case "trace":
        form.append(renderTrace(field, ctx));
        break;
      case "facs":
        form.append(renderFacs(field, ctx));
        break;
      case "text":
        form.append(renderText(field, ctx));
        break;
    }
  }
  return { dimensional };
}
