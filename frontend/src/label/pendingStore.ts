/**
 * Unsent edits kept in localStorage per assignment, so a reload, a crash or a dropped connection
 * loses nothing. An entry that already has a key is a save that may have reached the server: it is
 * re-sent with the same key, so the server recognises it instead of storing it twice.
 */

import type { Values } from "./types";

export interface PendingEdit {
  base: number | null;
  values: Values;
  submit: boolean;
  key: string | null;
  savedAt: number;
}

const storageKey = (assignmentId: number): string => `affectlab:label:${assignmentId}`;

export function pendingRead(assignmentId: number): PendingEdit | null {
  try {
    const raw = localStorage.getItem(storageKey(assignmentId));
    if (!raw) return null;
    const parsed = JSON.parse(raw) as PendingEdit;
    if (!parsed || typeof parsed !== "object" || typeof parsed.values !== "object" || parsed.values === null) return null;
    return parsed;
  } catch {
    return null;
  }
}

export function pendingWrite(assignmentId: number, edit: Omit<PendingEdit, "savedAt">): void {
  try {
    localStorage.setItem(storageKey(assignmentId), JSON.stringify({ ...edit, savedAt: Date.now() }));
  } catch {
    // Storage full or disabled: the in-memory copy and the server remain.
  }
}

export function pendingClear(assignmentId: number): void {
  try {
    localStorage.removeItem(storageKey(assignmentId));
  } catch {
    // nothing to do
  }
}
