/** Page-wide shortcuts: playback, seeking, rate, frames, zoom, submit, navigation and the help overlay. */

import { byId } from "../dom";
import type { MediaPlayer } from "./player";
import type { Shortcuts } from "./shortcuts";

export interface GlobalActions {
  player: MediaPlayer | null;
  submit(): void;
  next: (() => void) | null;
  previous: (() => void) | null;
}

export function registerGlobalKeys(shortcuts: Shortcuts, actions: GlobalActions): void {
  const { player } = actions;
  if (player) {
    const group = "Playback";
    shortcuts.add({ keys: "Space", label: "Play / pause", group, run: () => player.togglePlay() });
    shortcuts.add({ keys: "ArrowLeft", label: "Back 1 s", group, run: () => player.seek(player.time - 1) });
    shortcuts.add({ keys: "ArrowRight", label: "Forward 1 s", group, run: () => player.seek(player.time + 1) });
    shortcuts.add({ keys: "Shift+ArrowLeft", label: "Back 5 s", group, run: () => player.seek(player.time - 5) });
    shortcuts.add({ keys: "Shift+ArrowRight", label: "Forward 5 s", group, run: () => player.seek(player.time + 5) });
    shortcuts.add({ keys: "Home", label: "To the start", group, run: () => player.seek(0) });
    shortcuts.add({ keys: "[", label: "Slower", group, run: () => player.stepRate(-1) });
    shortcuts.add({ keys: "]", label: "Faster", group, run: () => player.stepRate(1) });
    shortcuts.add({ keys: "\\", label: "Normal speed", group, run: () => player.setRate(1) });
    if (player.media instanceof HTMLVideoElement) {
      shortcuts.add({ keys: ",", label: "Previous frame", group, run: () => player.stepFrame(-1) });
      shortcuts.add({ keys: ".", label: "Next frame", group, run: () => player.stepFrame(1) });
    }
    shortcuts.add({ keys: "+", label: "Zoom in", group, run: () => player.zoomBy(2) });
    shortcuts.add({ keys: "=", label: "Zoom in", group, run: () => player.zoomBy(2) });
    shortcuts.add({ keys: "-", label: "Zoom out", group, run: () => player.zoomBy(0.5) });
  }
  const group = "Item";
  shortcuts.add({ keys: "Ctrl+Enter", label: "Submit and go to the next item", group, inText: true, run: () => actions.submit() });
  if (actions.next) shortcuts.add({ keys: "Shift+N", label: "Next item (saves first)", group, run: actions.next });
  if (actions.previous) shortcuts.add({ keys: "Shift+P", label: "Previous item (saves first)", group, run: actions.previous });

  const help = byId("help", HTMLDialogElement);
  const open = (): void => {
    shortcuts.renderHelp(byId("help-table", HTMLTableElement));
    help.showModal();
  };
  shortcuts.add({ keys: "?", label: "Show this list", group: "Help", run: open });
  byId("help-open", HTMLButtonElement).addEventListener("click", open);
  byId("help-close", HTMLButtonElement).addEventListener("click", () => help.close());
}
