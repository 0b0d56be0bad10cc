"""The 538 set's ``language`` (full English names) as the codes Twitter's ``tweet_language``
uses, so a tweet's language compares across sources (``English`` -> ``en``).

A name not in the table is kept, lower-cased, as the file gives it: nothing is guessed.
"""

from __future__ import annotations

import pyarrow as pa
import pyarrow.compute as pc

# Every name the published files use, from the set's documentation and its 13 files.
_CODES = {
    "albanian": "sq",
    "arabic": "ar",
    "armenian": "hy",
    "azerbaijani": "az",
    "belarusian": "be",
    "bengali": "bn",
    "bulgarian": "bg",
    "catalan": "ca",
    "croatian": "hr",
    "czech": "cs",
    "danish": "da",
    "dutch": "nl",
    "english": "en",
    "estonian": "et",
    "farsi (persian)": "fa",
    "finnish": "fi",
    "french": "fr",
    "georgian": "ka",
    "german": "de",
    "greek": "el",
    "gujarati": "gu",
    "hebrew": "he",
    "hindi": "hi",
    "hungarian": "hu",
    "icelandic": "is",
    "indonesian": "id",
    "italian": "it",
    "japanese": "ja",
    "kannada": "kn",
    "kazakh": "kk",
    "korean": "ko",
    "kurdish": "ku",
    "language undefined": "und",
    "latvian": "lv",
    "lithuanian": "lt",
    "macedonian": "mk",
    "malay": "ms",
    "malayalam": "ml",
    "marathi": "mr",
    "nepali": "ne",
    "norwegian": "no",
    "polish": "pl",
    "portuguese": "pt",
    "pushto": "ps",
    "punjabi": "pa",
    "romanian": "ro",
    "russian": "ru",
    "serbian": "sr",
    "simplified chinese": "zh",
    "sindhi": "sd",
    "slovak": "sk",
    "slovenian": "sl",
    "somali": "so",
    "spanish": "es",
    "swedish": "sv",
    "tagalog (filipino)": "tl",
    "tamil": "ta",
    "telugu": "te",
    "thai": "th",
    "traditional chinese": "zh",
    "turkish": "tr",
    "ukrainian": "uk",
    "urdu": "ur",
    "uzbek": "uz",
    "vietnamese": "vi",
}
_NAMES = pa.array(list(_CODES), pa.string())
_CODE_OF_NAME = pa.array(list(_CODES.values()), pa.string())


def language_codes(names: pa.ChunkedArray | pa.Array) -> pa.Array:
    """Each (trimmed) name's code; an unknown name lower-cased, an empty one empty."""
    lowered = pc.utf8_lower(names)
    code = pc.take(_CODE_OF_NAME, pc.index_in(lowered, value_set=_NAMES))
    return pc.coalesce(code, lowered)
