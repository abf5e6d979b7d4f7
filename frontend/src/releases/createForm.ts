/**
 * The "new version" form for members who may export: version or bump, notes, filters,
 * media, seed and Dawid-Skene. A 400 answer puts each message under the field it is about
 * (nested filter errors under their filter); anything else goes to the form's own alert.
 * Items are chosen by typed ids and ranges, by subject, or both (the ids of those subjects);
 * the API takes item ids, so the subjects' options carry theirs.
 */

import { ApiError, errorMessage } from "../api";
import { h, setText } from "../dom";
import { CreateRefused, createVersion, type CreateRequest } from "./api";
import type { DatasetVersion } from "./types";

/** Server field names (dotted for nested filters) the form has an error slot for. */
const FIELD_SLOTS = [
  "version",
  "bump",
  "notes",
  "filters.annotator_ids",
  "filters.review_states",
  "filters.item_ids",
  "include_media",
  "seed",
  "dawid_skene",
];

/** The API's limit on `filters.item_ids`. */
const MAX_ITEM_IDS = 1_000_000;

/** Input the form refuses before asking the server, keyed like the server's own errors. */
export class FormInputError extends Error {
  constructor(
    readonly key: string,
    message: string,
  ) {
    super(message);
    this.name = "FormInputError";
  }
}

/** Item ids typed by a person, "12, 15 20-40"; a word that is neither an id nor a range is refused. */
export function parseItemIds(text: string): number[] {
  const ids: number[] = [];
  for (const word of text.split(/[\s,]+/).filter(Boolean)) {
    const range = /^(\d+)-(\d+)$/.exec(word);
    const [first, last] = range ? [Number(range[1]), Number(range[2])] : [0, -1];
    if (/^\d+$/.test(word)) {
      ids.push(Number(word));
    } else if (range && last >= first && last - first < MAX_ITEM_IDS) {
      for (let id = first; id <= last; id += 1) ids.push(id);
    } else {
      throw new FormInputError("filters.item_ids", `"${word}" is neither an item id nor a range like 20-40.`);
    }
    if (ids.length > MAX_ITEM_IDS) {
      throw new FormInputError("filters.item_ids", `At most ${MAX_ITEM_IDS.toLocaleString("en")} items.`);
    }
  }
  return ids;
}

/** The item ids the form selects (typed ids, chosen subjects, or the typed ids of those subjects); none: all. */
function itemIdsFromForm(form: HTMLFormElement): number[] | undefined {
  const typed = parseItemIds(control(form, "items", HTMLInputElement).value);
  const subjects = form.elements.namedItem("subjects");
  const chosen = subjects instanceof HTMLSelectElement ? [...subjects.selectedOptions] : [];
  if (!chosen.length) return typed.length ? [...new Set(typed)].sort((a, b) => a - b) : undefined;
  const ofSubjects = new Set(chosen.flatMap((option) => parseItemIds(option.dataset.itemIds ?? "")));
  const ids = typed.length ? typed.filter((id) => ofSubjects.has(id)) : [...ofSubjects];
  if (!ids.length) {
    throw new FormInputError("filters.item_ids", "None of these item ids belongs to the chosen subjects.");
  }
  return [...new Set(ids)].sort((a, b) => a - b);
}

function checkedValues(form: HTMLFormElement, name: string): string[] {
  return [...form.querySelectorAll<HTMLInputElement>(`input[name="${name}"]:checked`)].map((input) => input.value);
}

function control<T extends Element>(form: HTMLFormElement, name: string, type: { new (): T }): T {
  const element = form.elements.namedItem(name);
  if (!(element instanceof type)) throw new Error(`the release form lacks its ${name} control`);
  return element;
}

/** The request body the form describes; only filters the person set are sent (FormInputError if unreadable). */
export function requestFromForm(form: HTMLFormElement): CreateRequest {
  const version = control(form, "version", HTMLInputElement).value.trim();
  const bump = control(form, "bump", HTMLSelectElement).value as CreateRequest["bump"];
  const notes = control(form, "notes", HTMLTextAreaElement).value;
  const annotators = [...control(form, "annotators", HTMLSelectElement).selectedOptions].map((o) => Number(o.value));
  const states = checkedValues(form, "review_states");
  const seedText = control(form, "seed", HTMLInputElement).value.trim();
  const filters: CreateRequest["filters"] = {};
  const items = itemIdsFromForm(form);
  if (items) filters.item_ids = items;
  if (annotators.length) filters.annotator_ids = annotators;
  if (states.length) filters.review_states = states;
  const body: CreateRequest = {
    notes,
    filters,
    include_media: control(form, "include_media", HTMLSelectElement).value as CreateRequest["include_media"],
    seed: seedText === "" ? 0 : Number(seedText),
    dawid_skene: control(form, "dawid_skene", HTMLInputElement).checked,
  };
  if (version) body.version = version;
  else body.bump = bump;
  return body;
}

/** Flatten a DRF error body to {"filters.review_states": "…"}; list indices fold into their field. */
export function fieldErrors(body: unknown, prefix = ""): Map<string, string[]> {
  const found = new Map<string, string[]>();
  const add = (key: string, text: string) => {
    if (!text) return;
    found.set(key, [...(found.get(key) ?? []), text]);
  };
  if (typeof body === "string") {
    add(prefix || "non_field_errors", body);
  } else if (Array.isArray(body)) {
    for (const entry of body) {
      for (const [key, texts] of fieldErrors(entry, prefix)) texts.forEach((text) => add(key, text));
    }
  } else if (body && typeof body === "object") {
    for (const [name, value] of Object.entries(body as Record<string, unknown>)) {
      const key = errorKey(prefix, name);
      for (const [inner, texts] of fieldErrors(value, key)) texts.forEach((text) => add(inner, text));
    }
  }
  return found;
}

/** The dotted key an error at `name` below `prefix` belongs to; list positions and form-wide keys fold up. */
function errorKey(prefix: string, name: string): string {
  if (name === "non_field_errors" || name === "detail") return prefix || "non_field_errors";
  if (/^\d+$/.test(name)) return prefix;
  return prefix ? `${prefix}.${name}` : name;
}

export class CreateForm {
  private readonly submit: HTMLButtonElement;
  private readonly status: HTMLElement;
  private readonly formError: HTMLElement;

  constructor(
    private readonly projectId: string,
    private readonly form: HTMLFormElement,
    private readonly created: (version: DatasetVersion) => void,
  ) {
    this.submit = control(form, "create", HTMLButtonElement);
    this.status = form.querySelector<HTMLElement>(".form-status") ?? h("p");
    this.formError = form.querySelector<HTMLElement>(".form-error") ?? h("p");
    const version = control(form, "version", HTMLInputElement);
    const bump = control(form, "bump", HTMLSelectElement);
    const syncBump = () => {
      bump.disabled = version.value.trim() !== "";
    };
    version.addEventListener("input", syncBump);
    syncBump();
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      void this.send();
    });
  }

  private clearErrors(): void {
    for (const slot of this.form.querySelectorAll<HTMLElement>(".field-error")) {
      slot.textContent = "";
      slot.hidden = true;
    }
    for (const input of this.form.querySelectorAll("[aria-invalid]")) input.removeAttribute("aria-invalid");
    this.formError.hidden = true;
    setText(this.formError, "");
  }

  private showSlot(key: string, texts: string[]): boolean {
    const slot = this.form.querySelector<HTMLElement>(`.field-error[data-error-for="${key}"]`);
    if (!slot) return false;
    slot.textContent = texts.join(" ");
    slot.hidden = false;
    const describedInput = this.form.querySelector(`[aria-describedby~="${slot.id}"]`);
    describedInput?.setAttribute("aria-invalid", "true");
    return true;
  }

  private showErrors(body: unknown, status: number): void {
    const leftover: string[] = [];
    for (const [key, texts] of fieldErrors(body)) {
      const slotKey = FIELD_SLOTS.includes(key) ? key : FIELD_SLOTS.find((slot) => key.startsWith(`${slot}.`));
      if (slotKey && this.showSlot(slotKey, texts)) continue;
      const label = key === "non_field_errors" ? "" : `${key}: `;
      leftover.push(`${label}${texts.join(" ")}`);
    }
    const shownBeside = this.form.querySelector(".field-error:not([hidden])") !== null;
    const message = leftover.length
      ? leftover.join(" ")
      : shownBeside
        ? ""
        : errorMessage(body, `The server answered ${status}.`);
    if (message) {
      setText(this.formError, message);
      this.formError.hidden = false;
    }
    const first = this.form.querySelector<HTMLElement>("[aria-invalid='true']");
    first?.focus();
  }

  private async send(): Promise<void> {
    this.clearErrors();
    setText(this.status, "");
    this.submit.disabled = true;
    try {
      const version = await createVersion(this.projectId, requestFromForm(this.form));
      setText(this.status, `Version ${version.version} is ${version.state}.`);
      control(this.form, "version", HTMLInputElement).value = "";
      control(this.form, "version", HTMLInputElement).dispatchEvent(new Event("input"));
      this.created(version);
    } catch (caught) {
      if (caught instanceof CreateRefused) this.showErrors(caught.body, caught.status);
      else if (caught instanceof FormInputError) this.showErrors({ [caught.key]: [caught.message] }, 400);
      else {
        setText(this.formError, caught instanceof ApiError ? caught.message : "The version could not be created.");
        this.formError.hidden = false;
      }
    } finally {
      this.submit.disabled = false;
    }
  }
}
