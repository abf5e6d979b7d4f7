"""The pre-labelers this deployment offers: the built-in ones plus any named in settings.

A deployment adds its own by listing dotted class paths in ``AFFECTLAB_PRELABELERS``
(see README.md). The list is read on every look-up, so a settings change needs no restart
hook and tests may override it.
"""

from __future__ import annotations

from django.conf import settings
from django.utils.module_loading import import_string

from .prelabelers.action_units import ActionUnitsPrelabeler
from .prelabelers.asr import AsrPrelabeler
from .prelabelers.base import Prelabeler
from .prelabelers.face import FacePrelabeler
from .prelabelers.vad_face import VadFacePrelabeler
from .prelabelers.vad_fused import VadFusedPrelabeler
from .prelabelers.vad_text import VadTextPrelabeler
from .prelabelers.vad_voice import VadVoicePrelabeler
from .prelabelers.voice_activity import VoiceActivityPrelabeler

BUILTIN: tuple[type[Prelabeler], ...] = (
    FacePrelabeler,
    ActionUnitsPrelabeler,
    AsrPrelabeler,
    VoiceActivityPrelabeler,
    VadTextPrelabeler,
    VadVoicePrelabeler,
    VadFacePrelabeler,
    VadFusedPrelabeler,
)


class UnknownPrelabeler(LookupError):
    pass


def prelabeler_classes() -> dict[str, type[Prelabeler]]:
    found: dict[str, type[Prelabeler]] = {cls.name: cls for cls in BUILTIN}
    for dotted in getattr(settings, "AFFECTLAB_PRELABELERS", ()):
        cls = import_string(dotted)
        if not (isinstance(cls, type) and issubclass(cls, Prelabeler)):
            raise TypeError(f"{dotted} is not a Prelabeler subclass")
        found[cls.name] = cls
    return found


def prelabeler_get(name: str) -> Prelabeler:
    cls = prelabeler_classes().get(name)
    if cls is None:
        raise UnknownPrelabeler(f"No pre-labeler named {name!r}; GET /api/prelabelers/ lists them.")
    return cls()
