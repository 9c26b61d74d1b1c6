"""The texts of robustness (sliders and curves) and the map of a model's features, in English
and Simplified Chinese, in the format of digitlab/strings.py (which merges them into STRINGS)."""

STRINGS: dict[str, dict[str, str]] = {}
