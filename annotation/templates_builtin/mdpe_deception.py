from .base import Template, classes, scale_labels

BIG_FIVE = ("openness", "conscientiousness", "extraversion", "agreeableness", "neuroticism")

TEMPLATE = Template(
    slug="mdpe-deception",
    title="Deception and emotion with subject personality metadata",
    description=(
        "Each item is one answer in an interview. Annotators judge whether it is truthful or deceptive "
        "and how sure they are, and label the emotion shown with its intensity. Subject id, "
        "demographics and Big Five personality scores are recorded per item for analysis and "
        "subject-independent splits; they are not shown to annotators, so they cannot bias the judgement."
    ),
    citation=(
        "Mirrors MDPE: Cai, C., Liang, S., Liu, X., et al. (2024). MDPE: A multimodal deception dataset "
        "with personality and emotional characteristics. arXiv preprint."
    ),
    definition={
        "title": "Deception and emotion",
        "fields": [
            {
                "name": "deception",
                "kind": "categorical",
                "scope": "item",
                "mode": "hard",
                "label": "Is this answer truthful?",
                "classes": [
                    {"id": "truthful", "label": "Truthful", "key": "t"},
                    {"id": "deceptive", "label": "Deceptive", "key": "d"},
                ],
            },
            {
                "name": "confidence",
                "kind": "dimensional",
                "scope": "item",
                "label": "Confidence in the judgement",
                "ratings": [
                    {
                        "name": "confidence",
                        "min": 1,
                        "max": 5,
                        "step": 1,
                        "labels": scale_labels((1, "guessing"), (3, "fairly sure"), (5, "certain")),
                    }
                ],
            },
            {
                "name": "emotion",
                "kind": "categorical",
                "scope": "item",
                "mode": "hard",
                "label": "Emotion shown",
                "intensity": {
                    "min": 1,
                    "max": 5,
                    "step": 1,
                    "labels": scale_labels((1, "very weak"), (3, "moderate"), (5, "very strong")),
                },
                "classes": [
                    {"id": "neutral", "label": "Neutral", "intensity": None},
                    *classes(
                        ("happiness", "Happiness"),
                        ("sadness", "Sadness"),
                        ("anger", "Anger"),
                        ("fear", "Fear"),
                        ("disgust", "Disgust"),
                        ("surprise", "Surprise"),
                    ),
                ],
            },
        ],
        "item_metadata": [
            {"key": "subject_id", "type": "string", "label": "Subject", "required": True},
            {"key": "gender", "type": "string", "label": "Gender"},
            {"key": "age", "type": "integer", "label": "Age"},
            *[
                {"key": f"personality.{trait}", "type": "number", "label": f"{trait.capitalize()} score"}
                for trait in BIG_FIVE
            ],
        ],
    },
)
