from .base import Template


def _clues(name: str, label: str, description: str) -> dict:
    return {
        "name": name,
        "kind": "text",
        "scope": "item",
        "label": label,
        "description": description,
        "required": False,
        "max_length": 1000,
    }


TEMPLATE = Template(
    slug="emer-open-vocabulary",
    title="Open-vocabulary emotion with explanation",
    description=(
        "Annotators name the emotions they perceive in their own words (any vocabulary, one to eight "
        "words), note the visual, acoustic and lexical clues, and write an explanation that ties the "
        "clues to the emotions."
    ),
    citation=(
        "Mirrors EMER: Lian, Z., Sun, L., Xu, M., et al. (2023). Explainable multimodal emotion "
        "reasoning. arXiv preprint; and its open-vocabulary follow-up, Lian, Z., et al. (2024). "
        "OV-MER: Towards open-vocabulary multimodal emotion recognition. arXiv preprint."
    ),
    definition={
        "title": "Open-vocabulary emotion with explanation",
        "fields": [
            {
                "name": "emotions",
                "kind": "text",
                "scope": "item",
                "format": "tags",
                "label": "Emotions (your own words)",
                "min_tags": 1,
                "max_tags": 8,
                "min_length": 2,
                "max_length": 40,
            },
            _clues("visual_clues", "Visual clues", "Facial expression, gaze, posture, gestures."),
            _clues("acoustic_clues", "Acoustic clues", "Tone, pitch, loudness, tempo, pauses."),
            _clues("lexical_clues", "Lexical clues", "What is said, word choice."),
            {
                "name": "explanation",
                "kind": "text",
                "scope": "item",
                "label": "Explanation",
                "description": "Why these emotions: reason from the clues to the emotions.",
                "min_length": 20,
                "max_length": 3000,
            },
        ],
    },
)
