from .base import Template, classes, scale_labels

CATEGORIES = (
    ("amusement", "Amusement"),
    ("elation", "Elation"),
    ("pleasure_ecstasy", "Pleasure/ecstasy"),
    ("contentment", "Contentment"),
    ("thankfulness_gratitude", "Thankfulness/gratitude"),
    ("affection", "Affection"),
    ("infatuation", "Infatuation"),
    ("hope_enthusiasm_optimism", "Hope/enthusiasm/optimism"),
    ("triumph", "Triumph"),
    ("pride", "Pride"),
    ("interest", "Interest"),
    ("awe", "Awe"),
    ("astonishment_surprise", "Astonishment/surprise"),
    ("concentration", "Concentration"),
    ("contemplation", "Contemplation"),
    ("relief", "Relief"),
    ("longing", "Longing"),
    ("teasing", "Teasing"),
    ("impatience_irritability", "Impatience and irritability"),
    ("sexual_lust", "Sexual lust"),
    ("doubt", "Doubt"),
    ("fear", "Fear"),
    ("distress", "Distress"),
    ("confusion", "Confusion"),
    ("embarrassment", "Embarrassment"),
    ("shame", "Shame"),
    ("disappointment", "Disappointment"),
    ("sadness", "Sadness"),
    ("bitterness", "Bitterness"),
    ("contempt", "Contempt"),
    ("disgust", "Disgust"),
    ("anger", "Anger"),
    ("malevolence_malice", "Malevolence/malice"),
    ("sourness", "Sourness"),
    ("pain", "Pain"),
    ("helplessness", "Helplessness"),
    ("fatigue_exhaustion", "Fatigue/exhaustion"),
    ("emotional_numbness", "Emotional numbness"),
    ("intoxication_altered_states", "Intoxication/altered states of consciousness"),
    ("jealousy_envy", "Jealousy and envy"),
)

TEMPLATE = Template(
    slug="speech-emotion-40",
    title="40 emotion categories with intensity levels (speech)",
    description=(
        "For each speech clip, annotators mark every one of 40 fine-grained emotion categories that is "
        "present and say whether it is mildly or intensely present; categories left unmarked are not "
        "present."
    ),
    citation=(
        "Mirrors the EmoNet-Voice benchmark: Schuhmann, C., et al. (2025). EmoNet-Voice: A fine-grained, "
        "expert-verified benchmark for speech emotion detection. arXiv preprint."
    ),
    definition={
        "title": "40 emotion categories with intensity",
        "fields": [
            {
                "name": "emotions",
                "kind": "categorical",
                "scope": "item",
                "mode": "multi",
                "label": "Emotions present",
                "intensity": {
                    "min": 1,
                    "max": 2,
                    "step": 1,
                    "labels": scale_labels((1, "mildly present"), (2, "intensely present")),
                },
                "classes": classes(*CATEGORIES),
            }
        ],
    },
)
