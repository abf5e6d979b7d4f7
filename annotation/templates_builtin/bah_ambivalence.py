from .base import Template, classes

TEMPLATE = Template(
    slug="bah-ambivalence",
    title="Ambivalence/hesitancy segments with a video-level label",
    description=(
        "Mark every stretch of the video where the participant shows ambivalence or hesitancy (what "
        "they say, how they say it and what their face and body show do not agree), name the channels "
        "that carried the cue, and give the whole video a present/absent label."
    ),
    citation=(
        "Mirrors the BAH dataset: Gonzalez-Gonzalez, M., et al. (2025). BAH dataset for "
        "ambivalence/hesitancy recognition in videos for behavioural change. arXiv preprint."
    ),
    definition={
        "title": "Ambivalence/hesitancy",
        "fields": [
            {
                "name": "ah_segments",
                "kind": "segments",
                "scope": "time",
                "label": "Ambivalence/hesitancy segments",
                "classes": [{"id": "ah", "label": "Ambivalence/hesitancy", "key": "a"}],
                "overlap": False,
                "min_duration_s": 0.2,
            },
            {
                "name": "cues",
                "kind": "categorical",
                "scope": "item",
                "mode": "multi",
                "label": "Where the inconsistency shows",
                "required": False,
                "classes": classes(
                    ("verbal", "Words (language)"),
                    ("vocal", "Voice (prosody, pauses)"),
                    ("facial", "Face"),
                    ("body", "Body and gesture"),
                ),
            },
            {
                "name": "video_label",
                "kind": "categorical",
                "scope": "item",
                "mode": "hard",
                "label": "Ambivalence/hesitancy in this video",
                "classes": [
                    {"id": "present", "label": "Present", "key": "p"},
                    {"id": "absent", "label": "Absent", "key": "n"},
                ],
            },
        ],
    },
)
