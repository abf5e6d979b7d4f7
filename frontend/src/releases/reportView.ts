/**
 * The agreement report (contract §4) as a page: per field its measures with intervals, the
 * per-annotator figures, the confusion matrix or trace overlay where the field has one, the
 * pre-labelers' quality and the most ambiguous items. Every figure the report leaves
 * undefined reads "undefined, because …" with the report's own reason.
 */

import { h } from "../dom";
import { plural } from "../format";
import { annotatorBars, confusionHeatmap, measureChart, traceOverlay } from "./charts";
import { figureOrReason, finite, formatFigure, undefinedText } from "./numbers";
import type { AgreementReport, Measure, ReportField } from "./types";

const AMBIGUOUS_SHOWN = 20;

function cell(text: string, className = ""): HTMLTableCellElement {
  return h("td", { className, text });
}

/** A value cell: the number, or the reason it is missing, marked so it can be styled and found. */
function figureCell(value: number | null, reason: string | null): HTMLTableCellElement {
  return cell(figureOrReason(value, reason), finite(value) ? "num" : "undefined");
}

function table(caption: string, headings: string[], rows: HTMLTableRowElement[], className: string): HTMLElement {
  return h(
    "div",
    { className: "table-wrap" },
    h(
      "table",
      { className: `report-table ${className}` },
      h("caption", { className: "visually-hidden", text: caption }),
      h("thead", {}, h("tr", {}, ...headings.map((text) => h("th", { text, attrs: { scope: "col" } })))),
      h("tbody", {}, ...rows),
    ),
  );
}

function intervalText(measure: Measure): string {
  const ci = measure.ci;
  if (ci && finite(ci.low) && finite(ci.high)) {
    return `${formatFigure(ci.low)} – ${formatFigure(ci.high)} (${Math.round(ci.level * 100)}%, ${ci.n_valid}/${ci.n_resamples} resamples)`;
  }
  if (!finite(measure.value)) return "—";
  return measure.ci_undefined_reason ? undefinedText(measure.ci_undefined_reason) : "—";
}

function measuresTable(field: ReportField): HTMLElement {
  const rows = field.measures.map((m) =>
    h(
      "tr",
      { data: { measure: m.measure } },
      h("th", { text: m.measure, attrs: { scope: "row" } }),
      figureCell(m.value, m.undefined_reason),
      cell(intervalText(m)),
      cell(finite(m.observed) ? formatFigure(m.observed) : "—", "num"),
      cell(finite(m.expected) ? formatFigure(m.expected) : "—", "num"),
      cell(m.basis ?? "—"),
      cell(String(m.n_items), "num"),
      cell(String(m.n_annotators), "num"),
    ),
  );
  return table(
    `Agreement measures for ${field.label || field.name}`,
    ["Measure", "Value", "95% interval", "Observed", "Chance", "Basis", "Items", "Annotators"],
    rows,
    "measures",
  );
}

function subsection(title: string, ...children: Array<Node | null>): HTMLElement {
  return h("section", { className: "report-sub" }, h("h3", { className: "sub-title", text: title }), ...children);
}

function annotatorSection(field: ReportField): HTMLElement | null {
  if (!field.per_annotator.length) return null;
  const label = field.label || field.name;
  const reasons = field.per_annotator.filter((row) => !finite(row.value));
  return subsection(
    "Agreement per annotator (each against the rest)",
    h("div", { className: "plot-wrap" }, annotatorBars(label, field.per_annotator)),
    reasons.length
      ? h(
          "ul",
          { className: "reasons" },
          ...reasons.map((row) => h("li", { className: "undefined", text: `${row.annotator}: ${undefinedText(row.undefined_reason)}` })),
        )
      : null,
  );
}

function ambiguitySection(field: ReportField): HTMLElement | null {
  if (!field.per_item.length) return null;
  const rows = field.per_item.slice(0, AMBIGUOUS_SHOWN).map((item) =>
    h(
      "tr",
      { data: { itemId: item.item_id } },
      cell(item.item_id),
      finite(item.ambiguity) ? cell(formatFigure(item.ambiguity), "num") : cell("undefined", "undefined"),
      cell(String(item.n_annotations), "num"),
    ),
  );
  const shown = Math.min(AMBIGUOUS_SHOWN, field.per_item.length);
  return subsection(
    `Most ambiguous items (top ${shown} of ${field.per_item.length})`,
    table(`Most ambiguous items of ${field.name}`, ["Item", "Ambiguity", "Annotations"], rows, "ambiguity"),
  );
}

function prelabelSection(field: ReportField): HTMLElement | null {
  if (!field.prelabel_quality.length) return null;
  const rows = field.prelabel_quality.map((q) =>
    h(
      "tr",
      { data: { prelabeler: q.prelabeler } },
      h("th", { text: q.prelabeler, attrs: { scope: "row" } }),
      cell(q.version),
      cell(q.measure),
      figureCell(q.value, q.undefined_reason),
      cell(String(q.n_items), "num"),
    ),
  );
  return subsection(
    "Pre-labelers against the human consensus",
    table(`Pre-labeler quality for ${field.name}`, ["Pre-labeler", "Version", "Measure", "Value", "Items"], rows, "prelabel"),
  );
}

function fieldSection(field: ReportField): HTMLElement {
  const label = field.label || field.name;
  const meta = [field.kind, field.level ? `${field.level} level` : null, field.aggregation?.method].filter(Boolean).join(" · ");
  const undefinedMeasures = field.measures.filter((m) => !finite(m.value));
  const section = h(
    "section",
    { className: "card report-field", data: { field: field.name, kind: field.kind } },
    h("div", { className: "card-head" }, h("h2", { className: "card-title", text: label }), h("span", { className: "muted", text: meta })),
    field.aggregation?.description ? h("p", { className: "muted aggregation", text: field.aggregation.description }) : null,
    h("div", { className: "plot-wrap" }, measureChart(label, field.measures)),
    undefinedMeasures.length
      ? h(
          "ul",
          { className: "reasons" },
          ...undefinedMeasures.map((m) => h("li", { className: "undefined", text: `${m.measure}: ${undefinedText(m.undefined_reason)}` })),
        )
      : null,
    field.measures.length ? measuresTable(field) : h("p", { className: "undefined", text: "No agreement measure applies to this field." }),
  );
  const confusion = field.confusion;
  const trace = field.trace_overlay;
  const parts: Array<HTMLElement | null> = [
    annotatorSection(field),
    confusion && confusion.classes.length
      ? subsection("Confusion matrix (pooled over annotator pairs)", h("div", { className: "plot-wrap" }, confusionHeatmap(label, confusion)))
      : null,
    trace && trace.times.length
      ? subsection(`Traces for item ${trace.item_id}`, h("div", { className: "plot-wrap" }, traceOverlay(label, trace)))
      : null,
    prelabelSection(field),
    ambiguitySection(field),
  ];
  for (const part of parts) if (part) section.append(part);
  return section;
}

/** Replace the container's content with the rendered report. */
export function renderReport(container: HTMLElement, report: AgreementReport): void {
  const counts = report.counts;
  const summary = h(
    "section",
    { className: "card report-summary" },
    h(
      "p",
      { className: "report-counts" },
      `${plural(counts.items, "item")} · ${plural(counts.annotators, "annotator")} · ${plural(counts.annotations, "annotation")}`,
    ),
    h("p", { className: "muted", text: `Bootstrap: ${report.n_resamples} resamples, seed ${report.seed}. Format ${report.format}.` }),
    report.notes.length ? h("ul", { className: "report-notes" }, ...report.notes.map((note) => h("li", { text: note }))) : null,
  );
  const fields = report.fields.length
    ? report.fields.map(fieldSection)
    : [h("p", { className: "empty", text: "The report has no fields: the project's schema defines none." })];
  container.replaceChildren(summary, ...fields);
}
