from .base import Template

EKMAN_7 = (
    ("anger", "Anger"),
    ("disgust", "Disgust"),
    ("fear", "Fear"),
    ("happiness", "Happiness"),
    ("sadness", "Sadness"),
    ("surprise", "Surprise"),
    ("neutral", "Neutral"),
)

TEMPLATE = Template(
    slug="ekman-7",
    title="Ekman's six basic emotions plus neutral (hard labels)",
    description="One label per item from seven classes, each on a number key 1-7 for fast labelling.",
    citation=(
        "Ekman, P. (1992). An argument for basic emotions. Cognition and Emotion, 6(3-4), 169-200; the "
        "seven-class set (six basic emotions and neutral) used by most facial-expression corpora."
    ),
    definition={
        "title": "Ekman-7",
        "fields": [
            {
                "name": "emotion",
                "kind": "categorical",
                "scope": "item",
                "mode": "hard",
                "label": "Emotion",
                "classes": [
                    {"id": cls_id, "label": label, "key": str(number)}
                    for number, (cls_id, label) in enumerate(EKMAN_7, start=1)
                ],
            }
        ],
    },
)
