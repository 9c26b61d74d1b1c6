"""Every resource limit in one place, each with why it has its value.

A client of the app can send anything, and a checkpoint file can describe anything: these bounds
keep one request, one run or one file from taking a shared machine's memory or hours. Each is
checked before the work it bounds is done. Every preset and shipped model sits well inside them.
"""

# Models (checked by TrainConfig in digitlab/config.py, so also for checkpoints' settings).
MAX_HIDDEN_SIZE = 4096  # units in one MLP layer; the shipped MLP's widest has 512
MAX_HIDDEN_LAYERS = 8  # MLP depth; presets use at most 3, and deeper adds hours, not lessons
MAX_CHANNELS = 256  # filters in one CNN stage; the shipped CNN's widest has 128
MAX_CNN_STAGES = 3  # each stage halves the image: 28 -> 14 -> 7 -> 3 pixels
# Weights: 16 MB as float32, ~64 MB with gradients and Adam's two moments. The shipped MLP
# (512-256) has 0.54 M, the widest one-layer MLP (4096) 3.3 M, the widest CNN 1.2 M.
MAX_PARAMETERS = 4_000_000
MAX_EPOCHS = 1000  # a run at this cap on the full set already takes days on a CPU
MAX_EVALS_PER_EPOCH = 100  # each test-set evaluation costs ~1/6 of an epoch

# Checkpoint files (digitlab/training/checkpoint.py): MAX_PARAMETERS float32 weights are 16 MB.
MAX_CHECKPOINT_BYTES = 50 * 2**20  # on disk, and once unpacked (a zip can hold a deflate bomb)
MAX_CHECKPOINT_MEMBERS = 200  # files in the zip: one per tensor, a few dozen in any model here

# Images sent to the app (digitlab/inference/safety.py).
MAX_IMAGE_BYTES = 5_000_000  # a 280x280 canvas PNG is ~5 kB; a phone photo fits too
MAX_IMAGE_PIXELS = 4096 * 4096  # decoded RGBA at this size is 64 MB: the most one call may use
MAX_CANVAS_LAYERS = 4  # the Draw tab's Sketchpad sends one layer (layers=False)
MAX_CANVAS_PIXELS = 1024 * 1024  # per canvas image; the canvas is 280x280, 1024x1024 RGBA is 4 MB
MAX_CONCURRENT_DECODES = 2  # images decoded at once: one per core of a free 2-vCPU Space
DECODE_WAIT_S = 10.0  # how long a request waits for a decoding slot before it is told to retry

# Sessions (the `runs` gr.State in app.py, digitlab/ui/sessions.py): a session untouched this long
# is dropped with its checkpoint folder (gr.State time_to_live), and so is a session folder left
# by a server that was killed. A lesson is 1-2 hours; a tab left open overnight, or an API client
# that never closes its session, holds nothing past this.
SESSION_TTL_S = 4 * 3600

# The class's own handwriting (digitlab/lab/handwriting.py): a drawing is kept as the model's 28x28
# input, 784 bytes. A student adds a few dozen in a lesson; a class of 40 adds ~50 each.
MAX_SESSION_DRAWINGS = 500  # one session's own set: 0.4 MB
MAX_CLASS_DRAWINGS = 2000  # one class code's set: 1.6 MB
MAX_CLASSES = 64  # class codes held at once: at most ~100 MB of drawings on the server
CLASS_TTL_S = SESSION_TTL_S  # a class set unused this long is dropped, as a session is
# A set's zip (28x28 PNGs of ~300 bytes and labels.csv): 2,000 drawings make ~1 MB.
MAX_SET_ZIP_BYTES = 4_000_000  # the zip as uploaded (the app's upload cap is 5 MB)
MAX_SET_ENTRY_BYTES = 64_000  # one PNG once decompressed: a deflate bomb stops here
