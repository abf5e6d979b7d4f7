from .base import Template


def _trace(name: str, label: str, description: str) -> dict:
    return {
        "name": name,
        "kind": "trace",
        "scope": "time",
        "label": label,
        "description": description,
        "rate_hz": 10,
        "dimensions": [{"name": name, "label": label, "min": -1, "max": 1}],
    }


TEMPLATE = Template(
    slug="sewa-continuous",
    title="Continuous valence, arousal and liking",
    description=(
        "Three one-dimensional traces recorded while the video plays, each from -1 to 1 and sampled "
        "at 10 Hz: valence, arousal and liking/disliking of what the person watches or discusses."
    ),
    citation=(
        "Mirrors the SEWA database: Kossaifi, J., Walecki, R., Panagakis, Y., et al. (2021). SEWA DB: "
        "A rich database for audio-visual emotion and sentiment research in the wild. IEEE Transactions "
        "on Pattern Analysis and Machine Intelligence, 43(3), 1022-1040."
    ),
    definition={
        "title": "Continuous valence, arousal and liking",
        "fields": [
            _trace(
                "valence", "Valence", "How negative (-1) or positive (1) the person feels, moment by moment."
            ),
            _trace("arousal", "Arousal", "How calm (-1) or excited (1) the person is, moment by moment."),
            _trace(
                "liking", "Liking", "How much the person dislikes (-1) or likes (1) what they see or discuss."
            ),
        ],
    },
)
