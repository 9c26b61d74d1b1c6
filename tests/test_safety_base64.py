"""/predict_image takes base64 as clients write it: standard or URL-safe, in one line or broken
into lines (MIME, `base64` on the command line)."""

from __future__ import annotations

import base64
import io

import numpy as np
import pytest
from PIL import Image, ImageDraw

from digitlab.inference.safety import BadImage, decode_image


def drawn_seven() -> bytes:
    """A PNG of a drawn 7 whose base64 has '+' and '/' (so its URL-safe form differs)."""
    for width in range(20, 40):
        picture = Image.new("L", (280, 280), "white")
        ImageDraw.Draw(picture).line([(70, 50), (210, 50), (125, 240)], fill="black", width=width)
        out = io.BytesIO()
        picture.save(out, "PNG")
        text = base64.b64encode(out.getvalue()).decode()
        if "+" in text and "/" in text:
            return out.getvalue()
    raise AssertionError("no test PNG with '+' and '/' in its base64")


PNG = drawn_seven()
STANDARD = base64.b64encode(PNG).decode()
LINES_64 = [STANDARD[i : i + 64] for i in range(0, len(STANDARD), 64)]
SPELLINGS = {
    "standard": STANDARD,
    "data URL": "data:image/png;base64," + STANDARD,
    "MIME lines (CRLF, 76)": base64.encodebytes(PNG).decode().replace("\n", "\r\n"),
    "base64 -w 76 (LF)": base64.encodebytes(PNG).decode(),
    "wrapped at 64, ends in a line break": "\n".join(LINES_64) + "\n",
    "URL-safe": base64.urlsafe_b64encode(PNG).decode(),
    "URL-safe data URL": "data:image/png;base64," + base64.urlsafe_b64encode(PNG).decode(),
}


def test_the_spellings_really_differ():
    assert "-" in SPELLINGS["URL-safe"] and "_" in SPELLINGS["URL-safe"]
    assert "\r\n" in SPELLINGS["MIME lines (CRLF, 76)"]
    with pytest.raises(ValueError):  # the old strict decoding refused them
        base64.b64decode(SPELLINGS["URL-safe"], validate=True)


@pytest.mark.parametrize("name", sorted(SPELLINGS))
def test_every_spelling_decodes_to_the_same_pixels(name):
    expected = np.asarray(Image.open(io.BytesIO(PNG)))
    assert np.array_equal(np.asarray(decode_image(SPELLINGS[name])), expected)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (" \r\n\t ", "empty"),
        ("data:image/png;base64,\r\n", "empty"),
        (STANDARD[:-4] + "*abc", "not valid base64"),
        (STANDARD[:-3] + "\n", "not valid base64"),  # cut short: no longer whole groups
        ("\n".join(LINES_64[:3]) + " \n " + "\n".join(LINES_64[3:]), "not valid base64"),
        ("AAAA\nAAAA\n", "not a PNG or JPEG"),  # valid base64, not an image
    ],
)
def test_bad_base64_still_gets_a_clear_message(data, message):
    with pytest.raises(BadImage, match=message):
        decode_image(data)


def test_the_size_limit_counts_the_base64_not_its_line_breaks():
    lines = base64.encodebytes(b"\0" * 3000).decode()  # 4,000 characters in 53 lines
    with pytest.raises(BadImage, match="larger than 2,000 bytes"):
        decode_image(lines, max_bytes=2000)
    with pytest.raises(BadImage, match="larger than 1,000 bytes"):
        decode_image("\n" * 9000, max_bytes=1000)  # refused before anything is copied
    with pytest.raises(BadImage, match="not a PNG or JPEG"):
        decode_image(lines, max_bytes=3000)  # within the limit once the breaks are out


def test_the_app_reads_url_safe_and_line_broken_base64(app_module):
    gradio_client = pytest.importorskip("gradio_client")
    client = gradio_client.Client(app_module.url, verbose=False)
    for name in ("URL-safe", "MIME lines (CRLF, 76)"):
        result = client.predict(SPELLINGS[name], "cnn", api_name="/predict_image")
        assert result["digit"] == 7, (name, result)
