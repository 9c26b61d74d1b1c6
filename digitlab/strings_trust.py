"""The texts of how sure a model is (the not-sure threshold, calibration, the reliability
diagram), in English and Simplified Chinese, in the format of digitlab/strings.py (which merges
them into STRINGS)."""

STRINGS: dict[str, dict[str, str]] = {}
