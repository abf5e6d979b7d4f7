from .base import Template, classes

EMOTIONS = classes(
    ("happy", "Happy"),
    ("grateful", "Grateful"),
    ("relaxed", "Relaxed"),
    ("positive_other", "Other positive"),
    ("neutral", "Neutral"),
    ("anger", "Anger"),
    ("sadness", "Sadness"),
    ("fear", "Fear"),
    ("depress", "Depressed"),
    ("disgust", "Disgust"),
    ("astonished", "Astonished"),
    ("worried", "Worried"),
    ("negative_other", "Other negative"),
)

TEMPLATE = Template(
    slug="cped-dialogue",
    title="Utterance emotion in dialogue (13 classes) with speaker context",
    description=(
        "Each item is one utterance of a multi-party dialogue, shown with the five turns before it "
        "and its speaker. Annotators pick one of 13 fine-grained emotions and the utterance's "
        "sentiment. Speaker profile metadata (gender, age group, Big Five personality) travels with "
        "each item for analysis and splits."
    ),
    citation=(
        "Mirrors CPED: Chen, Y., Fan, W., Xing, X., et al. (2022). CPED: A large-scale Chinese "
        "personalized and emotional dialogue dataset for conversational AI. arXiv preprint."
    ),
    definition={
        "title": "Utterance emotion in dialogue",
        "fields": [
            {
                "name": "emotion",
                "kind": "categorical",
                "scope": "item",
                "mode": "hard",
                "label": "Emotion of this utterance",
                "classes": EMOTIONS,
            },
            {
                "name": "sentiment",
                "kind": "categorical",
                "scope": "item",
                "mode": "hard",
                "label": "Sentiment",
                "classes": classes(
                    ("positive", "Positive"), ("neutral", "Neutral"), ("negative", "Negative")
                ),
            },
        ],
        "context": {
            "dialogue_turns_before": 5,
            "dialogue_turns_after": 0,
            "show_speaker": True,
            "show_metadata": ["gender", "age_group"],
        },
        "item_metadata": [
            {"key": "gender", "type": "string", "label": "Speaker gender"},
            {"key": "age_group", "type": "string", "label": "Speaker age group"},
            {"key": "big_five.openness", "type": "string", "label": "Openness (high/low)"},
            {"key": "big_five.conscientiousness", "type": "string", "label": "Conscientiousness (high/low)"},
            {"key": "big_five.extraversion", "type": "string", "label": "Extraversion (high/low)"},
            {"key": "big_five.agreeableness", "type": "string", "label": "Agreeableness (high/low)"},
            {"key": "big_five.neuroticism", "type": "string", "label": "Neuroticism (high/low)"},
        ],
    },
)
