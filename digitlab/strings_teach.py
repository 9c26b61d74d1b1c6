"""The texts of teaching a model the class's own handwriting, in English and Simplified
Chinese, in the format of digitlab/strings.py (which merges them into STRINGS)."""

STRINGS: dict[str, dict[str, str]] = {}
