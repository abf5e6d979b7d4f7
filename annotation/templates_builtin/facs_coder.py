from .base import Template, scale_labels

ACTION_UNITS = (
    ("AU1", "Inner brow raiser"),
    ("AU2", "Outer brow raiser"),
    ("AU4", "Brow lowerer"),
    ("AU5", "Upper lid raiser"),
    ("AU6", "Cheek raiser"),
    ("AU7", "Lid tightener"),
    ("AU9", "Nose wrinkler"),
    ("AU10", "Upper lip raiser"),
    ("AU11", "Nasolabial deepener"),
    ("AU12", "Lip corner puller"),
    ("AU14", "Dimpler"),
    ("AU15", "Lip corner depressor"),
    ("AU16", "Lower lip depressor"),
    ("AU17", "Chin raiser"),
    ("AU18", "Lip pucker"),
    ("AU20", "Lip stretcher"),
    ("AU22", "Lip funneler"),
    ("AU23", "Lip tightener"),
    ("AU24", "Lip pressor"),
    ("AU25", "Lips part"),
    ("AU26", "Jaw drop"),
    ("AU27", "Mouth stretch"),
)

ACTION_DESCRIPTORS = (
    ("AD19", "Tongue show"),
    ("AD29", "Jaw thrust"),
    ("AD30", "Jaw sideways"),
    ("AD32", "Bite"),
    ("AD33", "Blow"),
    ("AD34", "Puff"),
    ("AD35", "Suck"),
    ("AD36", "Bulge"),
    ("AD37", "Lip wipe"),
    ("AD40", "Sniff"),
)

TEMPLATE = Template(
    slug="facs-coder",
    title="FACS coding: 22 action units, 10 action descriptors, atypicality",
    description=(
        "For certified FACS coders: score which of 22 action units are present with intensity A "
        "(trace) to E (maximum), which of 10 action descriptors occur, and how atypical the whole "
        "expression is."
    ),
    citation=(
        "Follows the Facial Action Coding System: Ekman, P., Friesen, W. V., & Hager, J. C. (2002). "
        "Facial Action Coding System: The manual. Research Nexus, Salt Lake City; as used by "
        "FACS-coded corpora in which certified coders score action units with intensity per item."
    ),
    definition={
        "title": "FACS coding",
        "fields": [
            {
                "name": "action_units",
                "kind": "facs",
                "scope": "item",
                "label": "Action units (intensity A-E)",
                "units": [{"code": code, "label": label} for code, label in ACTION_UNITS],
            },
            {
                "name": "action_descriptors",
                "kind": "facs",
                "scope": "item",
                "label": "Action descriptors",
                "units": [
                    {"code": code, "label": label, "intensity": False} for code, label in ACTION_DESCRIPTORS
                ],
            },
            {
                "name": "atypicality",
                "kind": "dimensional",
                "scope": "item",
                "label": "Atypicality of the expression",
                "ratings": [
                    {
                        "name": "atypicality",
                        "min": 1,
                        "max": 5,
                        "step": 1,
                        "labels": scale_labels(
                            (1, "typical"), (3, "somewhat atypical"), (5, "highly atypical")
                        ),
                    }
                ],
            },
            {
                "name": "coder_notes",
                "kind": "text",
                "scope": "item",
                "label": "Coder notes",
                "required": False,
                "max_length": 2000,
            },
        ],
    },
)
