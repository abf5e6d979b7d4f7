/** A modal player for an asset's browser proxy (video or audio), closed with Esc or the button. */

import { byId, h, setText } from "./dom";
import type { Asset } from "./types";

export class Player {
  private readonly dialog = byId("player", HTMLDialogElement);
  private readonly title = byId("player-title", HTMLHeadingElement);
  private readonly stage = byId("player-stage", HTMLDivElement);

  constructor() {
    byId("player-close", HTMLButtonElement).addEventListener("click", () => this.dialog.close());
    this.dialog.addEventListener("close", () => this.stop());
    this.dialog.addEventListener("click", (event) => {
      if (event.target === this.dialog) this.dialog.close();
    });
  }

  open(asset: Asset, name: string): void {
    const source = asset.files.proxy;
    if (!source) return;
    this.stop();
    setText(this.title, name);
    const media =
      asset.kind === "video"
        ? h("video", { className: "player-media", attrs: { controls: "", playsinline: "", preload: "metadata" } })
        : h("audio", { className: "player-media audio", attrs: { controls: "", preload: "metadata" } });
    if (media instanceof HTMLVideoElement && asset.files.poster) media.poster = asset.files.poster;
    media.src = source;
    this.stage.append(media);
    this.dialog.showModal();
    media.focus();
  }

  private stop(): void {
    for (const media of this.stage.querySelectorAll("video, audio")) {
      if (media instanceof HTMLMediaElement) {
        media.pause();
        media.removeAttribute("src");
        media.load();
      }
    }
    this.stage.replaceChildren();
  }
}
