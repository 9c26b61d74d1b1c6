"""Inference: a drawing in, ten probabilities out.

preprocess.py turns a canvas into the 28x28 image the model sees, ood.py tells a drawing that
is no digit, predict.py's Predictor runs a model on it with the temperature of calibration.py,
and safety.py decodes the images and files a visitor sends.
"""
