"""The lab's instruments, over a trained model: why it answers (explain.py), how robust it is
(robustness.py), where digits sit in its last layer (digit_map.py), and the class's own
handwriting (handwriting.py, its zip files in handwriting_zip.py; the real pen digits in
pendigits.py).
"""
