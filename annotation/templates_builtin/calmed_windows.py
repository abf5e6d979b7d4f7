from .base import Template

TEMPLATE = Template(
    slug="calmed-windows",
    title="Emotional state in 200 ms windows (4 classes)",
    description=(
        "The recording is labelled on a fixed grid of 200 ms windows: every span starts and ends on "
        "the grid and carries one of four target classes (rename them to match your protocol). "
        "Contiguous windows with the same class can be saved as one span."
    ),
    citation=(
        "Mirrors CALMED: Sousa, A., Young, K., d'Aquin, M., Zarrouk, M., & Holloway, J. (2023). "
        "Introducing CALMED: Multimodal annotated dataset for emotion detection in children with autism. "
        "In Universal Access in Human-Computer Interaction (HCII 2023), LNCS, pp. 657-677. Springer."
    ),
    definition={
        "title": "Emotional state in 200 ms windows",
        "fields": [
            {
                "name": "state",
                "kind": "categorical",
                "scope": "time",
                "window_s": 0.2,
                "mode": "hard",
                "label": "Emotional state",
                "classes": [
                    {"id": "calm", "label": "Calm", "key": "1"},
                    {"id": "positive", "label": "Positive", "key": "2"},
                    {"id": "negative_low", "label": "Mildly negative", "key": "3"},
                    {"id": "negative_high", "label": "Strongly negative", "key": "4"},
                ],
            }
        ],
        "item_metadata": [
            {"key": "participant_id", "type": "string", "label": "Participant", "required": True},
            {"key": "session", "type": "string", "label": "Session"},
            {"key": "age", "type": "integer", "label": "Age"},
        ],
    },
)
