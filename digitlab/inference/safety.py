"""Untrusted input -> safe values: images from the HTTP API, checked before they are decoded.

Pure: no Gradio, no model. A client can send anything, so every check happens on the cheap
parts first (string length, layer count, then the image header) and only then are pixels
decoded, a few images at a time (limits in digitlab/limits.py).
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import io
import math
import threading
from collections.abc import Iterator

import numpy as np
from PIL import Image

from digitlab.limits import (
    DECODE_WAIT_S,
    DECODED_SIDE,
    MAX_CANVAS_LAYERS,
    MAX_CANVAS_PIXELS,
    MAX_CONCURRENT_DECODES,
    MAX_IMAGE_BYTES,
    MAX_IMAGE_PIXELS,
)
from digitlab.words import Text

FORMATS = ("PNG", "JPEG")
CANVAS_FORMATS = ("PNG", "JPEG", "WEBP")  # what a Sketchpad may upload its layers as
URL_SAFE = str.maketrans("-_", "+/")  # URL-safe base64 (RFC 4648 section 5) -> standard
_DECODING = threading.BoundedSemaphore(MAX_CONCURRENT_DECODES)  # shared by every request
# PIL also decodes the Sketchpad's uploads inside Gradio, where decode_image cannot look first.
# PIL refuses images over twice this limit in Image.open, from the header, before decoding.
Image.MAX_IMAGE_PIXELS = MAX_IMAGE_PIXELS // 2


class BadImage(ValueError):
    """The input is not an acceptable image; the message says what was wrong and what to send."""


def decode_image(
    data: object, max_bytes: int = MAX_IMAGE_BYTES, max_pixels: int = MAX_IMAGE_PIXELS
) -> Image.Image:
    """Decode a base64 PNG/JPEG (data URL or bare) into a loaded PIL image, within the limits.

    Standard or URL-safe base64 (RFC 4648), in one line or broken into lines (MIME, the
    `base64` command), with its padding.
    """
    if not isinstance(data, str):
        raise BadImage(Text("image.not_base64_str", kind=type(data).__name__))
    text = data.split(",", 1)[-1] if data.startswith("data:") else data
    # 4 base64 characters carry 3 bytes: refuse before allocating the decoded bytes. Line breaks
    # add 3% at most, so twice the length is too big however it is broken; check before copying.
    if len(text) // 8 * 3 > max_bytes:
        raise BadImage(Text("image.too_many_bytes", limit=max_bytes))
    text = text.strip().replace("\r", "").replace("\n", "")  # other spaces stay invalid
    if not text:
        raise BadImage(Text("image.empty"))
    if len(text) // 4 * 3 > max_bytes:
        raise BadImage(Text("image.too_many_bytes", limit=max_bytes))
    try:
        raw = base64.b64decode(text.translate(URL_SAFE), validate=True)
    except (binascii.Error, ValueError):
        raise BadImage(Text("image.bad_base64")) from None
    try:
        # formats= keeps PIL's other (rarer, less hardened) decoders out of reach.
        picture = Image.open(io.BytesIO(raw), formats=FORMATS)
    except Image.DecompressionBombError:  # over PIL's global limit, seen in the header
        raise BadImage(Text("image.too_many_pixels", limit=MAX_IMAGE_PIXELS)) from None
    except Exception:  # PIL raises UnidentifiedImageError, SyntaxError, struct.error...
        raise BadImage(Text("image.not_image")) from None
    check_size(picture.size, max_pixels)  # from the header alone, before decoding any pixels
    with decoding_slot():
        try:
            return decoded_within(picture, DECODED_SIDE)
        except Exception as error:  # truncated or corrupt data
            raise BadImage(Text("image.undecodable", kind=type(error).__name__)) from None


def decoded_within(picture: Image.Image, side: int = DECODED_SIDE) -> Image.Image:
    """An opened image's pixels, at most `side` pixels a side: a JPEG is decoded at 1/2, 1/4
    or 1/8 of its size (its DCT scaling, so the full image is never in memory), and anything
    still larger is reduced by box averaging, which keeps a stroke's ink where it was."""
    if picture.format == "JPEG" and max(picture.size) > side:
        picture.draft("L" if picture.mode == "RGB" else picture.mode, (side, side))
    picture.load()
    factor = math.ceil(max(picture.size) / side)
    return picture.reduce(factor) if factor > 1 else picture


@contextlib.contextmanager
def decoding_slot() -> Iterator[None]:
    """Hold one of the MAX_CONCURRENT_DECODES decoding slots; BadImage if none frees up in time."""
    if not _DECODING.acquire(timeout=DECODE_WAIT_S):
        raise BadImage(Text("image.busy"))
    try:
        yield
    finally:
        _DECODING.release()


def check_sketch_upload(value: object, max_pixels: int = MAX_CANVAS_PIXELS) -> None:
    """Before Gradio decodes a Sketchpad upload: count its layers, read each image's header.

    value has .background, .layers and .composite (Gradio's EditorData, or its blob cache's
    EditorDataBlobs); each image is None, bytes, or a file with a .path (already vetted by
    Gradio as an upload). Raises BadImage; decodes no pixels.
    """
    if value is None:
        return
    layers = list(getattr(value, "layers", None) or [])
    _check_layer_count(len(layers))
    for image in [getattr(value, "background", None), *layers, getattr(value, "composite", None)]:
        if image is not None:
            check_size(_header_size(image), max_pixels)


def _header_size(image: object) -> tuple[int, int]:
    source = (
        io.BytesIO(image) if isinstance(image, bytes | bytearray) else getattr(image, "path", None)
    )
    if source is None:
        raise BadImage(Text("image.bad_layer"))
    try:
        with Image.open(source, formats=CANVAS_FORMATS) as picture:  # reads the header only
            return picture.size
    except Image.DecompressionBombError:  # over PIL's global limit, seen in the header
        raise BadImage(Text("image.too_many_pixels", limit=MAX_IMAGE_PIXELS)) from None
    except Exception:  # PIL raises UnidentifiedImageError, SyntaxError, struct.error...
        raise BadImage(Text("image.not_image")) from None


def _check_layer_count(layers: int) -> None:
    if layers > MAX_CANVAS_LAYERS:
        raise BadImage(Text("image.too_many_layers", layers=layers, limit=MAX_CANVAS_LAYERS))


def check_size(size: tuple[int, ...], max_pixels: int = MAX_IMAGE_PIXELS) -> None:
    """Raise BadImage unless a (width, height) has at least one and at most max_pixels pixels."""
    width, height = int(size[0]), int(size[1])
    if width < 1 or height < 1:
        raise BadImage(Text("image.no_pixels", width=width, height=height))
    if width * height > max_pixels:
        raise BadImage(Text("image.too_big", width=width, height=height, limit=max_pixels))


def check_canvas(value: object, max_pixels: int = MAX_CANVAS_PIXELS) -> None:
    """Raise BadImage if a decoded Sketchpad value's layers are not images within the limits."""
    if value is None:
        return
    if not isinstance(value, dict):
        raise BadImage(Text("image.not_sketch", kind=type(value).__name__))
    layers = value.get("layers") or []
    if not isinstance(layers, list | tuple):
        raise BadImage(Text("image.bad_layer"))
    _check_layer_count(len(layers))
    shapes = set()
    for layer in layers:
        if layer is None:
            continue
        try:  # an API caller's JSON may be ragged ([[1, 2], [3]]) or hold anything
            arr = np.asarray(layer)
        except (ValueError, TypeError, OverflowError):
            raise BadImage(Text("image.bad_layer")) from None
        real = np.issubdtype(arr.dtype, np.integer) or np.issubdtype(arr.dtype, np.floating)
        if arr.ndim not in (2, 3) or not real:
            raise BadImage(Text("image.bad_layer"))
        check_size((arr.shape[1], arr.shape[0]), max_pixels)
        shapes.add(arr.shape)
    if len(shapes) > 1:  # the layers are stacked pixel by pixel
        raise BadImage(Text("image.layer_sizes"))
