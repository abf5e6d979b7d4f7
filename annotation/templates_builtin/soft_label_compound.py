from .base import Template, classes, sam_rating

BASIC = (
    ("neutral", "Neutral"),
    ("happy", "Happy"),
    ("sad", "Sad"),
    ("fearful", "Fearful"),
    ("angry", "Angry"),
    ("surprised", "Surprised"),
    ("disgusted", "Disgusted"),
)

COMPOUND = (
    ("happily_surprised", "Happily surprised"),
    ("happily_disgusted", "Happily disgusted"),
    ("sadly_fearful", "Sadly fearful"),
    ("sadly_angry", "Sadly angry"),
    ("sadly_surprised", "Sadly surprised"),
    ("sadly_disgusted", "Sadly disgusted"),
    ("fearfully_angry", "Fearfully angry"),
    ("fearfully_surprised", "Fearfully surprised"),
    ("fearfully_disgusted", "Fearfully disgusted"),
    ("angrily_surprised", "Angrily surprised"),
    ("angrily_disgusted", "Angrily disgusted"),
    ("disgustedly_surprised", "Disgustedly surprised"),
    ("appalled", "Appalled"),
    ("hatred", "Hatred"),
    ("awed", "Awed"),
)

TEMPLATE = Template(
    slug="soft-label-compound",
    title="Emotion distribution over basic and compound emotions, with valence-arousal-dominance",
    description=(
        "Annotators spread probability over neutral, six basic and fifteen compound emotions (the "
        "distribution sums to 1, so an ambiguous face can be 0.6 happily surprised and 0.4 surprised), "
        "then rate valence, arousal and dominance on 1-9 manikin scales."
    ),
    citation=(
        "Mirrors soft-label compound-emotion corpora: categories from Du, S., Tao, Y., & Martinez, A. M. "
        "(2014). Compound facial expressions of emotion. PNAS, 111(15), E1454-E1462; ratings on the "
        "Self-Assessment Manikin of Bradley, M. M., & Lang, P. J. (1994). Journal of Behavior Therapy "
        "and Experimental Psychiatry, 25(1), 49-59."
    ),
    definition={
        "title": "Emotion distribution with VAD",
        "fields": [
            {
                "name": "emotion",
                "kind": "categorical",
                "scope": "item",
                "mode": "soft",
                "label": "Emotion distribution",
                "classes": classes(*BASIC, *COMPOUND),
            },
            {
                "name": "vad",
                "kind": "dimensional",
                "scope": "item",
                "label": "Valence, arousal, dominance",
                "ratings": [
                    sam_rating("valence", "Valence", "unpleasant", "pleasant"),
                    sam_rating("arousal", "Arousal", "calm", "excited"),
                    sam_rating("dominance", "Dominance", "controlled", "in control"),
                ],
            },
        ],
    },
)
