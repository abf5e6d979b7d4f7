/**
 * The parameter form of a pre-labeler, built from what `GET /api/prelabelers/` says of each
 * parameter (type, default, bounds, choices), so a new pre-labeler needs no front-end change.
 *
 * Only values that differ from the defaults are sent: the server overlays the request on the
 * defaults, so an untouched form asks for exactly what a bare request asks for and reuses its job.
 * Bounds and choices are checked by the server; its message goes next to the field it names.
 */

import { ApiError, Refused } from "./api";
import { h, setText } from "./dom";
import type { Prelabeler } from "./types";

export type ParamType = "number" | "integer" | "boolean" | "text" | "choice";

export interface ParamSpec {
  name: string;
  type: ParamType;
  default: unknown;
  min: number | null;
  max: number | null;
  choices: string[];
}

/** A registry entry as the API sends it, parameters included. */
export interface PrelabelerWithParams extends Prelabeler {
  default_params?: Record<string, unknown>;
  parameters?: ParamSpec[];
}

/** The parameters of a pre-labeler; from the defaults alone where the server sent no descriptions. */
export function paramSpecs(prelabeler: Prelabeler | undefined): ParamSpec[] {
  if (!prelabeler) return [];
  const described = (prelabeler as PrelabelerWithParams).parameters;
  if (Array.isArray(described)) return described;
  return Object.entries((prelabeler as PrelabelerWithParams).default_params ?? {}).map(([name, value]) => ({
    name,
    type: typeof value === "boolean" ? "boolean" : typeof value === "number" ? "number" : "text",
    default: value,
    min: null,
    max: null,
    choices: [],
  }));
}

/** "beam_size" → "beam size". */
export function paramLabel(name: string): string {
  return name.replace(/_/g, " ");
}

function shown(value: unknown): string {
  if (value === "" || value === null || value === undefined) return "default";
  return String(value);
}

/** What a field says under its input: the default, and the allowed range where there is one. */
function hintText(spec: ParamSpec): string {
  const parts = [`Default: ${shown(spec.default)}`];
  if (spec.min !== null && spec.max !== null) parts.push(`${spec.min} to ${spec.max}`);
  else if (spec.min !== null) parts.push(`at least ${spec.min}`);
  else if (spec.max !== null) parts.push(`at most ${spec.max}`);
  return parts.join(" · ");
}

/**
 * The server's refusal, split into (parameter, message) where it names one: the registry's
 * messages read "Parameter 'beam_size' of asr must be …" and "Unknown parameter(s) for asr: x".
 */
export function paramErrors(caught: unknown): { field: string | null; message: string }[] {
  const body = caught instanceof Refused ? (caught.body as Record<string, unknown> | null) : null;
  const raw = body && typeof body === "object" ? body.params : undefined;
  const messages = Array.isArray(raw) ? raw.map(String) : typeof raw === "string" ? [raw] : [];
  return messages.map((message) => ({ field: /^Parameter '(\w+)'/.exec(message)?.[1] ?? null, message }));
}

let formCount = 0;

interface Field {
  spec: ParamSpec;
  wrap: HTMLElement;
  input: HTMLInputElement | HTMLSelectElement;
  error: HTMLElement;
}

export class ParamForm {
  readonly element = h("details", { className: "param-form" });
  private readonly summary = h("summary", { className: "param-summary", text: "Parameters" });
  private readonly body = h("div", { className: "param-fields" });
  private readonly general = h("p", { className: "param-error param-general", attrs: { role: "alert" } });
  private fields: Field[] = [];
  private current = "";
  private readonly id = ++formCount;

  /** `subject` names what the run is for ("dialogue.mp4", "the selected media") in labels. */
  constructor(private readonly subject: string) {
    this.element.append(this.summary, this.body, this.general);
    this.general.hidden = true;
    this.element.hidden = true;
  }

  /** Show the fields of this pre-labeler; values typed for the same one are kept. */
  show(prelabeler: Prelabeler | undefined, subject = this.subject): void {
    const key = prelabeler ? `${prelabeler.name}@${prelabeler.version}` : "";
    this.summary.setAttribute("aria-label", prelabeler ? `Parameters of ${prelabeler.name} for ${subject}` : "Parameters");
    if (key === this.current) return;
    this.current = key;
    const specs = paramSpecs(prelabeler);
    this.fields = specs.map((spec) => this.field(spec));
    this.body.replaceChildren(...this.fields.map((field) => field.wrap));
    this.element.hidden = specs.length === 0;
    this.clearErrors();
  }

  private field(spec: ParamSpec): Field {
    const base = `param-${this.id}-${spec.name}`;
    const label = h("label", { className: "param-label", text: paramLabel(spec.name), attrs: { for: base } });
    const hint = h("span", { className: "param-hint muted", text: hintText(spec), attrs: { id: `${base}-hint` } });
    const error = h("span", { className: "param-error", attrs: { id: `${base}-error`, role: "alert" } });
    error.hidden = true;
    let input: HTMLInputElement | HTMLSelectElement;
    if (spec.type === "choice") {
      input = h("select", { className: "param-input", attrs: { id: base } });
      input.append(...spec.choices.map((choice) => h("option", { text: choice === "" ? "default" : choice, attrs: { value: choice } })));
      input.value = String(spec.default ?? "");
    } else if (spec.type === "boolean") {
      input = h("input", { className: "param-input", attrs: { id: base, type: "checkbox" } });
      input.checked = spec.default === true;
    } else if (spec.type === "number" || spec.type === "integer") {
      const attrs: Record<string, string> = { id: base, type: "number", step: spec.type === "integer" ? "1" : "any" };
      if (spec.min !== null) attrs.min = String(spec.min);
      if (spec.max !== null) attrs.max = String(spec.max);
      input = h("input", { className: "param-input", attrs });
      input.value = spec.default === null || spec.default === undefined ? "" : String(spec.default);
    } else {
      input = h("input", { className: "param-input", attrs: { id: base, type: "text", placeholder: shown(spec.default) } });
      input.value = String(spec.default ?? "");
    }
    input.setAttribute("aria-describedby", `${base}-hint ${base}-error`);
    const wrap = h("div", { className: "param-field", data: { param: spec.name } }, label, input, hint, error);
    const field = { spec, wrap, input, error };
    input.addEventListener("input", () => this.mark(field, ""));
    return field;
  }

  private mark(field: Field, message: string): void {
    setText(field.error, message);
    field.error.hidden = !message;
    if (message) field.input.setAttribute("aria-invalid", "true");
    else field.input.removeAttribute("aria-invalid");
  }

  clearErrors(): void {
    for (const field of this.fields) this.mark(field, "");
    setText(this.general, "");
    this.general.hidden = true;
  }

  /**
   * The parameters to send (those changed from the defaults), or null when a field cannot be
   * read (text in a number field); that field then says why and takes the focus.
   */
  values(): Record<string, unknown> | null {
    this.clearErrors();
    const params: Record<string, unknown> = {};
    for (const field of this.fields) {
      const { spec, input } = field;
      let value: unknown;
      if (spec.type === "boolean") {
        value = (input as HTMLInputElement).checked;
      } else if (spec.type === "number" || spec.type === "integer") {
        const box = input as HTMLInputElement;
        if (box.validity.badInput || (box.value.trim() !== "" && !Number.isFinite(Number(box.value)))) {
          this.reveal(field, "Enter a number.");
          return null;
        }
        value = box.value.trim() === "" ? spec.default : Number(box.value);
      } else {
        value = input.value;
      }
      if (value !== spec.default) params[spec.name] = value;
    }
    return params;
  }

  private reveal(field: Field, message: string): void {
    this.mark(field, message);
    this.element.open = true;
    field.input.focus();
  }

  /**
   * Put the server's refusal next to the fields it names; true when it was about the parameters
   * (the caller then says only that the run did not start).
   */
  showErrors(caught: unknown): boolean {
    const errors = paramErrors(caught);
    if (!errors.length) return false;
    this.clearErrors();
    let first: Field | undefined;
    const loose: string[] = [];
    for (const { field: name, message } of errors) {
      const field = this.fields.find((f) => f.spec.name === name);
      if (field) {
        this.mark(field, message);
        first ??= field;
      } else {
        loose.push(message);
      }
    }
    setText(this.general, loose.join(" "));
    this.general.hidden = loose.length === 0;
    this.element.open = true;
    first?.input.focus();
    return true;
  }
}

/** The line shown beside the Run button when a request failed. */
export function runFailure(name: string, caught: unknown, form: ParamForm): string {
  if (form.showErrors(caught)) return `${name} did not start: check the parameters.`;
  return caught instanceof ApiError ? caught.message : `Could not start ${name}.`;
}
