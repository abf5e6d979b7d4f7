"""Built-in label-schema templates, one per kind of corpus our users build, by slug."""

from __future__ import annotations

from . import (
    bah_ambivalence,
    calmed_windows,
    cped_dialogue,
    ekman7,
    emer_open_vocabulary,
    facs_coder,
    mdpe_deception,
    sewa_continuous,
    soft_label_compound,
    speech_emotion_40,
)
from .base import Template

TEMPLATES: dict[str, Template] = {
    module.TEMPLATE.slug: module.TEMPLATE
    for module in (
        sewa_continuous,
        bah_ambivalence,
        cped_dialogue,
        mdpe_deception,
        calmed_windows,
        facs_coder,
        soft_label_compound,
        emer_open_vocabulary,
        speech_emotion_40,
        ekman7,
    )
}


def template_get(slug: str) -> Template | None:
    return TEMPLATES.get(slug)


__all__ = ["TEMPLATES", "Template", "template_get"]
