"""Untrusted images: decode_image and check_canvas refuse bad input with a clear message."""

from __future__ import annotations

import base64
import io
import struct
import zlib

import numpy as np
import pytest
from PIL import Image

from digitlab.inference import safety
from digitlab.inference.preprocess import editor_to_image, to_mnist
from digitlab.inference.safety import (
    MAX_IMAGE_PIXELS,
    BadImage,
    check_canvas,
    check_sketch_upload,
    decode_image,
)
from digitlab.limits import MAX_CANVAS_LAYERS, MAX_CONCURRENT_DECODES


def encode(image: Image.Image, fmt: str = "PNG") -> str:
    """A base64 string of the image saved in fmt."""
    out = io.BytesIO()
    image.save(out, fmt)
    return base64.b64encode(out.getvalue()).decode()


def png_bytes(width: int, height: int) -> bytes:
    """A valid all-black grayscale PNG of any size, built row by row (never held decoded)."""
    deflate, row = zlib.compressobj(9), b"\0" * (width + 1)  # filter byte + pixels
    idat = b"".join(deflate.compress(row) for _ in range(height)) + deflate.flush()

    def chunk(kind: bytes, body: bytes) -> bytes:
        return (
            struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")
    )


def test_a_png_and_a_jpeg_decode_as_data_url_or_bare():
    image = Image.new("RGB", (40, 30), "white")
    assert decode_image("data:image/png;base64," + encode(image)).size == (40, 30)
    assert decode_image(encode(image, "JPEG")).size == (40, 30)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (None, "expected a base64 string, got NoneType"),
        (123, "expected a base64 string, got int"),
        (b"abc", "expected a base64 string, got bytes"),
        ("", "empty"),
        ("data:image/png;base64,", "empty"),
        ("not an image", "not valid base64"),
        ("abc", "not valid base64"),
        (base64.b64encode(b"hello, no picture here").decode(), "not a PNG or JPEG"),
        (encode(Image.new("RGB", (8, 8)), "GIF"), "not a PNG or JPEG"),  # other decoders: off
    ],
)
def test_bad_input_is_a_bad_image_with_a_message(data, message):
    with pytest.raises(BadImage, match=message):
        decode_image(data)


def test_truncated_png_is_refused():
    whole = base64.b64decode(encode(Image.effect_noise((64, 64), 50)))
    with pytest.raises(BadImage, match="could not be decoded"):
        decode_image(base64.b64encode(whole[: len(whole) // 2]).decode())


def test_byte_limit_is_checked_before_decoding_base64():
    data = "A" * 4_000_004  # 3 MB once decoded
    with pytest.raises(BadImage, match="larger than 1,000,000 bytes"):
        decode_image(data, max_bytes=1_000_000)


def test_pixel_bomb_is_refused_from_its_header():
    bomb = base64.b64encode(png_bytes(20_000, 20_000)).decode()  # ~400 kB, 400 M pixels
    assert len(bomb) < 1_000_000
    with pytest.raises(BadImage, match="more than 16,777,216 pixels: send a smaller image"):
        decode_image(bomb)
    with pytest.raises(BadImage, match="100x100 pixels"):
        decode_image(base64.b64encode(png_bytes(100, 100)).decode(), max_pixels=9_999)


def test_pil_itself_refuses_bombs_that_bypass_decode_image():
    # Gradio's Sketchpad decodes uploads with plain Image.open: the global limit covers it.
    with pytest.raises(Image.DecompressionBombError):
        Image.open(io.BytesIO(png_bytes(20_000, 20_000)))
    assert Image.MAX_IMAGE_PIXELS * 2 == MAX_IMAGE_PIXELS


def test_one_pixel_and_all_ink_images_give_no_digit():
    for colour in ("white", "black"):
        assert to_mnist(decode_image(encode(Image.new("L", (1, 1), colour)))) is None
    assert to_mnist(decode_image(encode(Image.new("L", (280, 280), "black")))) is None


def test_canvas_layers_are_checked():
    check_canvas(None)
    check_canvas({"background": None, "layers": [], "composite": None})
    check_canvas({"layers": [np.zeros((280, 280, 4), np.uint8)]})
    with pytest.raises(BadImage, match="dict"):
        check_canvas("x")
    with pytest.raises(BadImage, match="not an image"):
        check_canvas({"layers": [np.array(["a", "b"])]})
    with pytest.raises(BadImage, match="more than"):
        check_canvas({"layers": [np.zeros((200, 200), np.uint8)]}, max_pixels=100)
    with pytest.raises(BadImage, match="no pixels"):
        check_canvas({"layers": [np.zeros((0, 5, 4), np.uint8)]})
    with pytest.raises(BadImage, match="1025x1024 pixels, more than the 1,048,576 allowed"):
        check_canvas({"layers": [np.zeros((1024, 1025, 4), np.uint8)]})
    with pytest.raises(BadImage, match="5 layers, more than the 4 allowed"):
        check_canvas({"layers": [np.zeros((28, 28, 4), np.uint8)] * (MAX_CANVAS_LAYERS + 1)})


def test_sketchpad_uploads_are_checked_from_their_headers_before_gradio_decodes_them(tmp_path):
    from gradio.components.image_editor import EditorData, EditorDataBlobs
    from gradio.data_classes import FileData

    def upload(name: str, data: bytes) -> FileData:
        (tmp_path / name).write_bytes(data)
        return FileData(path=str(tmp_path / name))

    drawing = upload("drawing.png", png_bytes(280, 280))
    check_sketch_upload(None)
    check_sketch_upload(EditorData(background=drawing, layers=[drawing], composite=drawing))
    check_sketch_upload(EditorData(background=None, layers=[], composite=None))
    five = EditorData(background=None, layers=[drawing] * 5, composite=None)
    with pytest.raises(BadImage, match="the canvas has 5 layers, more than the 4 allowed"):
        check_sketch_upload(five)
    for name, data, message in [
        ("big.png", png_bytes(2000, 2000), "2000x2000 pixels, more than the 1,048,576"),
        ("bomb.png", png_bytes(20_000, 20_000), "more than 16,777,216 pixels"),
        ("text.png", b"not an image at all", "not a PNG or JPEG"),
    ]:
        bad = EditorData(background=None, layers=[], composite=upload(name, data))
        with pytest.raises(BadImage, match=message):
            check_sketch_upload(bad)
    cached = EditorDataBlobs(background=None, layers=[png_bytes(5000, 300)], composite=None)
    with pytest.raises(BadImage, match="5000x300 pixels"):  # Gradio's cache of chunked uploads
        check_sketch_upload(cached)


def test_failed_decodes_give_their_slot_back(monkeypatch):
    monkeypatch.setattr(safety, "DECODE_WAIT_S", 0.01)  # a leaked slot would fail fast below
    whole = base64.b64decode(encode(Image.effect_noise((64, 64), 50)))
    for _ in range(MAX_CONCURRENT_DECODES + 1):
        with pytest.raises(BadImage, match="could not be decoded"):
            decode_image(base64.b64encode(whole[: len(whole) // 2]).decode())
    assert decode_image(encode(Image.new("L", (8, 8)))).size == (8, 8)


def test_nan_canvas_is_treated_as_empty():
    nan_layer = np.full((280, 280, 4), np.nan, dtype=np.float32)
    check_canvas({"layers": [nan_layer]})
    ink = editor_to_image({"layers": [nan_layer]})
    assert ink is not None and not np.isnan(ink).any()
    assert to_mnist(ink) is None
    assert to_mnist(np.full((28, 28), np.nan)) is None
