/** What every field widget is given: the shared state, the player (for media items) and the keys. */

import type { MediaPlayer } from "../player";
import type { Shortcuts } from "../shortcuts";
import type { LabelState } from "../state";

export interface FieldContext {
  state: LabelState;
  editable: boolean;
  player: MediaPlayer | null;
  shortcuts: Shortcuts;
  notify(message: string, tone?: "info" | "error"): void;
  /** True for the first field of its kind that claims the digit keys. */
  claimDigits(): boolean;
}

export const DIGITS = ["1", "2", "3", "4", "5", "6", "7", "8", "9"];
