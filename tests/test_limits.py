"""Every limit in digitlab/limits.py: a value just over it gets a clear message, cheaply.

The values are refused in fresh Python processes that report how far their peak memory (VmHWM)
rose since their imports: each refusal must come before the expensive work, not after it.
"""

from __future__ import annotations

import base64
import json
import subprocess
import sys
from pathlib import Path

import pytest
import torch

from digitlab import limits
from digitlab.config import TrainConfig, parse_sizes
from digitlab.models import build_model
from digitlab.training.checkpoint import save_checkpoint
from tests.test_safety import png_bytes

ROOT = Path(__file__).resolve().parent.parent
MAX_GROWTH_MB = 300
IMPORTS = {
    "model": "from digitlab.training.checkpoint import load_checkpoint\n"
    "from digitlab.config import TrainConfig",
    "image": "import contextlib\nfrom types import SimpleNamespace\n"
    "from digitlab.inference import safety",
    "handwriting": "import numpy as np\nfrom digitlab.lab import handwriting as hw\n"
    "from digitlab.lab.handwriting_zip import from_zip",
}
# Each action runs after the previous ones, and growth is measured from before the first: a
# high-water mark only rises, so every action's own peak is bounded by what is reported.
SCRIPT = """
import json
{imports}

def peak_mb():
    with open("/proc/self/status") as status:
        return next(int(line.split()[1]) for line in status if line.startswith("VmHWM")) / 1024

before, results = peak_mb(), []
for action in {actions!r}:
    try:
        exec(action)
        message = None
    except Exception as error:
        message = f"{{type(error).__name__}}: {{error}}"
    results.append((message, peak_mb() - before))
print(json.dumps(results))
"""


def checkpoint_describing(path: Path, **settings: object) -> str:
    """A tiny checkpoint, no weights, whose settings ask for any model (as an attacker's could)."""
    small = TrainConfig(model="mlp", hidden=(8,))
    save_checkpoint(path, build_model(small), small, {})
    payload = torch.load(path, weights_only=True)
    payload["config"] = json.dumps({**small.to_dict(), **settings})
    payload["state_dict"] = {}
    torch.save(payload, path)
    assert path.stat().st_size < 4000
    return str(path)


def zip_file(path: Path, members: int, member_bytes: int = 0) -> str:
    """A zip of `members` files of zeros, deflated: tiny on disk, member_bytes each unpacked."""
    import zipfile

    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for i in range(members):
            archive.writestr(f"archive/data/{i}", b"\0" * member_bytes)
    assert path.stat().st_size < 100_000
    return str(path)


def set_bomb(path: Path, png_bytes: int) -> str:
    """A Teach-it set zip whose one drawing unpacks to png_bytes of zeros (tiny on disk)."""
    import zipfile

    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("labels.csv", "file,label\na.png,1\n")
        archive.writestr("a.png", b"\0" * png_bytes)
    return str(path)


def written(path: Path, data: bytes) -> str:
    path.write_bytes(data)
    return str(path)


def cases(tmp: Path) -> dict[str, tuple[str, str]]:
    """limit -> (imports, action): a value just over that limit, and nothing else wrong."""
    big = tmp / "big.pt"
    with big.open("wb") as f:
        f.truncate(limits.MAX_CHECKPOINT_BYTES + 1)  # sparse: no disk, no memory
    layer = written(tmp / "layer.png", png_bytes(4096, 4096))  # decoded RGBA: 64 MB
    wide_layer = written(tmp / "wide.png", png_bytes(1025, 1024))
    sent = written(tmp / "sent.b64", base64.b64encode(png_bytes(4097, 4096)))
    digit = written(tmp / "digit.b64", base64.b64encode(png_bytes(280, 280)))
    sketch = (
        "safety.check_sketch_upload(SimpleNamespace(background=None, layers={}, composite=None))"
    )
    five_layers = [f"SimpleNamespace(path={layer!r})"] * 5  # each a file Gradio has vetted
    as_bytes = f"open({wide_layer!r}, 'rb').read()"  # as Gradio's blob cache holds a layer
    held = limits.MAX_CONCURRENT_DECODES
    bulky = written(tmp / "bulky.zip", b"\0" * (limits.MAX_SET_ZIP_BYTES + 1))
    bomb = set_bomb(tmp / "set-bomb.zip", limits.MAX_SET_ENTRY_BYTES + 1)
    full = "hand = {}\nfor _ in range({}):\n    hand.add(np.zeros((28, 28), np.uint8), 1)"
    return {
        "MAX_PARAMETERS": ("model", 'TrainConfig(model="mlp", hidden=(4096, 192))'),
        "MAX_HIDDEN_LAYERS": ("model", 'TrainConfig(model="mlp", hidden=(4096,) * 9)'),
        "MAX_HIDDEN_SIZE": ("model", 'TrainConfig(model="mlp", hidden=(4097,))'),
        "MAX_CHANNELS": ("model", 'TrainConfig(model="cnn", channels=(257,))'),
        "MAX_CNN_STAGES": ("model", 'TrainConfig(model="cnn", channels=(8, 8, 8, 8))'),
        "MAX_EPOCHS": ("model", "TrainConfig(epochs=1001)"),
        "MAX_STEP_MACS": (  # the widest CNN on pixels at the largest batch that fits, plus one
            "model",
            'TrainConfig(model="cnn", channels=(256, 256, 256), dense=(1024,), patch=1, '
            "batch_size=68)",
        ),
        "MAX_EVALS_PER_EPOCH": ("model", "TrainConfig(evals_per_epoch=101)"),
        "MAX_HIDDEN_LAYERS (checkpoint)": (
            "model",
            f"load_checkpoint({checkpoint_describing(tmp / 'deep.pt', hidden=[4096] * 20)!r})",
        ),
        "MAX_PARAMETERS (checkpoint)": (
            "model",
            f"load_checkpoint({checkpoint_describing(tmp / 'wide.pt', hidden=[4096] * 2)!r})",
        ),
        "MAX_CHECKPOINT_BYTES": ("model", f"load_checkpoint({str(big)!r})"),
        "MAX_CHECKPOINT_BYTES (unpacked)": (
            "model",
            f"load_checkpoint({zip_file(tmp / 'bomb.pt', 1, 50 * 2**20 + 1)!r})",
        ),
        "MAX_CHECKPOINT_MEMBERS": ("model", f"load_checkpoint({zip_file(tmp / 'many.pt', 201)!r})"),
        "MAX_CANVAS_LAYERS": ("image", sketch.format(f"[{', '.join(five_layers)}]")),
        "MAX_CANVAS_PIXELS": ("image", sketch.format(f"[{as_bytes}]")),
        "MAX_IMAGE_BYTES": ("image", f'safety.decode_image("A" * {(5_000_000 // 3 + 1) * 4})'),
        "MAX_IMAGE_PIXELS": ("image", f"safety.decode_image(open({sent!r}).read())"),
        "MAX_CONCURRENT_DECODES": (
            "image",
            "safety.DECODE_WAIT_S = 0.2\n"
            "with contextlib.ExitStack() as slots:\n"
            f"    for _ in range({held}):\n"
            "        slots.enter_context(safety.decoding_slot())\n"
            f"    safety.decode_image(open({digit!r}).read())",
        ),
        "MAX_SESSION_DRAWINGS": (
            "handwriting",
            full.format("hw.HandSet()", limits.MAX_SESSION_DRAWINGS + 1),
        ),
        "MAX_CLASS_DRAWINGS": (  # the set a class code's students add to
            "handwriting",
            "classes = hw.ClassSets()\n"
            + full.format("classes.get(classes.create())", limits.MAX_CLASS_DRAWINGS + 1),
        ),
        "MAX_CLASSES": (
            "handwriting",
            f"classes = hw.ClassSets()\nfor _ in range({limits.MAX_CLASSES + 1}):\n"
            "    classes.create()",
        ),
        "MAX_CODES_PER_SESSION": (  # one page's burst of "New class code"
            "handwriting",
            f"classes = hw.ClassSets()\nfor _ in range({limits.MAX_CODES_PER_SESSION + 1}):\n"
            "    classes.create('teacher')",
        ),
        "MAX_SET_ZIP_BYTES": ("handwriting", f"from_zip(open({bulky!r}, 'rb').read())"),
        "MAX_SET_ENTRY_BYTES": ("handwriting", f"from_zip(open({bomb!r}, 'rb').read())"),
    }


EXPECTED = {
    "MAX_PARAMETERS": (
        "ConfigError: the model would have 4,003,914 parameters, more than the 4,000,000 "
        "allowed: use fewer or smaller layers."
    ),
    "MAX_HIDDEN_LAYERS": (
        "ConfigError: MLP hidden sizes: 9 layers is too deep; at most 8 hidden layers."
    ),
    "MAX_HIDDEN_SIZE": (
        "ConfigError: MLP hidden sizes: every size must be a whole number from 1 to 4096."
    ),
    "MAX_CHANNELS": ("ConfigError: CNN channels: every size must be a whole number from 1 to 256."),
    "MAX_CNN_STAGES": (
        "ConfigError: CNN channels: at most 3 conv stages fit a 28x28 image (e.g. 16, 32)."
    ),
    "MAX_EPOCHS": ("ConfigError: epochs: 1001 must be a whole number from 1 to 1000."),
    "MAX_STEP_MACS": (
        "ConfigError: one training step would take 10.1 billion multiply-adds (148.7 million per "
        "image x batch size 68), more than the 10 billion allowed, so Stop could not answer "
        "within a second: lower the batch size to 67 or less, or use fewer or narrower layers "
        "(or 2x2 patches)."
    ),
    "MAX_EVALS_PER_EPOCH": (
        "ConfigError: evals_per_epoch: 101 must be a whole number from 1 to 100."
    ),
    "MAX_HIDDEN_LAYERS (checkpoint)": (
        "CheckpointError: deep.pt describes a model DigitLab does not build: MLP hidden sizes: "
        "20 layers is too deep; at most 8 hidden layers."
    ),
    "MAX_PARAMETERS (checkpoint)": (
        "CheckpointError: wide.pt describes a model DigitLab does not build: the model would "
        "have 20,037,642 parameters, more than the 4,000,000 allowed: use fewer or smaller "
        "layers."
    ),
    "MAX_CHECKPOINT_BYTES": (
        "CheckpointError: big.pt is larger than 50 MB, more than any DigitLab checkpoint: not read."
    ),
    "MAX_CHECKPOINT_BYTES (unpacked)": (
        "CheckpointError: bomb.pt unpacks to more than 50 MB, more than any DigitLab checkpoint: "
        "not opened."
    ),
    "MAX_CHECKPOINT_MEMBERS": (
        "CheckpointError: many.pt holds 201 files; a DigitLab checkpoint holds a few dozen: not"
        " opened."
    ),
    "MAX_CANVAS_LAYERS": (
        "BadImage: the canvas has 5 layers, more than the 4 allowed: send one drawing."
    ),
    "MAX_CANVAS_PIXELS": (
        "BadImage: the image is 1025x1024 pixels, more than the 1,048,576 allowed: send a "
        "smaller image (a 280x280 canvas is plenty)."
    ),
    "MAX_IMAGE_BYTES": (
        "BadImage: the image is larger than 5,000,000 bytes: send a smaller PNG or JPEG."
    ),
    "MAX_IMAGE_PIXELS": (
        "BadImage: the image has more than 16,777,216 pixels: send a smaller image (a 280x280 "
        "canvas is plenty)."
    ),
    "MAX_CONCURRENT_DECODES": (
        "BadImage: the server is busy decoding other images: try again in a moment."
    ),
    "MAX_SESSION_DRAWINGS": (
        "HandwritingError: This set is full (500 drawings): remove some before adding more."
    ),
    "MAX_CLASS_DRAWINGS": (
        "HandwritingError: This set is full (2,000 drawings): remove some before adding more."
    ),
    "MAX_CLASSES": (
        "HandwritingError: This server already holds 64 class sets and all are in use: try "
        "again in 5 minutes (an empty set unused for 5 minutes gives way)."
    ),
    "MAX_CODES_PER_SESSION": (
        "HandwritingError: This page made 3 class codes in the last 10 minutes: use one of "
        "them, or make a new one in 10 minutes."
    ),
    "MAX_SET_ZIP_BYTES": (
        "HandwritingError: the zip is larger than 4,000,000 bytes; a set of 2,000 drawings is "
        "about 1 MB."
    ),
    "MAX_SET_ENTRY_BYTES": (
        "HandwritingError: a.png unpacks to more than 64,000 bytes, more than any "
        "drawing: not opened."
    ),
}


@pytest.fixture(scope="module")
def outcomes(tmp_path_factory) -> dict[str, tuple[str | None, float]]:
    """limit -> (message, peak memory growth in MB), one process per group of imports."""
    every = cases(tmp_path_factory.mktemp("limits"))
    found = {}
    for group, imports in IMPORTS.items():
        names = [name for name, (g, _) in every.items() if g == group]
        script = SCRIPT.format(imports=imports, actions=[every[name][1] for name in names])
        done = subprocess.run(
            [sys.executable, "-c", script], capture_output=True, text=True, cwd=ROOT, timeout=300
        )
        assert done.returncode == 0, done.stderr[-2000:]
        found.update(zip(names, json.loads(done.stdout.strip().splitlines()[-1]), strict=True))
    return found


def test_every_limit_has_a_case():
    named = {name for name in vars(limits) if name.startswith("MAX_")}
    assert named == {case.split()[0] for case in EXPECTED}


@pytest.mark.parametrize("limit", sorted(EXPECTED))
def test_a_value_just_over_a_limit_is_refused_clearly_and_cheaply(outcomes, limit):
    message, grown_mb = outcomes[limit]
    assert message == EXPECTED[limit]
    assert grown_mb < MAX_GROWTH_MB, f"{limit}: peak memory grew {grown_mb:.0f} MB"


def test_values_at_the_limits_are_accepted():
    assert TrainConfig(model="mlp", hidden=(4096, 191)).parameters() <= limits.MAX_PARAMETERS
    TrainConfig(model="mlp", hidden=(16,) * limits.MAX_HIDDEN_LAYERS)
    # The widest CNN at a batch within the step's compute cap (MAX_STEP_MACS, its own case).
    widest_cnn = dict(channels=(limits.MAX_CHANNELS,) * limits.MAX_CNN_STAGES, batch_size=256)
    TrainConfig(model="cnn", **widest_cnn)
    widest = TrainConfig(model="mlp", hidden=(limits.MAX_HIDDEN_SIZE,))
    assert widest.parameters() == sum(p.numel() for p in build_model(widest).parameters())


def test_every_preset_and_shipped_model_is_within_the_limits():
    from digitlab.training.checkpoint import SHIPPED, load_checkpoint
    from digitlab.ui.presets import BASE, PRESETS

    for preset in PRESETS:
        values = {**BASE, **preset.changes}
        cfg = TrainConfig(
            model=values["model"].lower(),
            hidden=parse_sizes(values["hidden"]),
            channels=parse_sizes(values["channels"], "channels"),
        )
        assert cfg.parameters() <= limits.MAX_PARAMETERS
    for path in SHIPPED.values():
        assert load_checkpoint(path).config.parameters() <= limits.MAX_PARAMETERS
