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
# Multiply-adds of one training step's forward pass (TrainConfig.macs_per_image() x batch size).
# A step is the finest grain at which Stop, Pause and the time limit below are seen, so it must
# stay short: on a 2-vCPU EPYC (bf16) a step at this cap takes ~0.1 s alone, and 0.8-1.3 s when
# the machine's load average is 5-8 (benchmarks/attack_training.py); a CPU without bf16 takes
# about twice as long. The widest CNN (256-256-256 on pixels, 149 M per image) took 1.4-1.6 s a
# step at batch 512 (76 G), and 14-27 s to stop with its evaluations; at batch 64 (9.5 G), the
# largest the Train tab allows it, Stop answers in at most 0.4 s. The shipped CNN's batch of 128
# uses 2.2 G, the default CNN's run 0.19 G.
MAX_STEP_MACS = 10_000_000_000
# A training run holds the one training slot (ui/queues.py TRAIN_SLOTS) for at most this long from
# its start, its evaluations and pauses included; then it ends as if stopped, its model kept
# ("Train on" queues again, behind whoever waits). The default runs take 0.5-1 minute.
RUN_TIME_S = 600.0
# A run may be paused for at most this long in all (every pause of the run added up), so pausing
# and resuming cannot hold the slot: a pause past it ends the run as if stopped.
PAUSE_BUDGET_S = 300.0

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
# A bigger image is decoded at a fraction of its size (JPEG's DCT scaling) or reduced, inside its
# decoding slot, to at most this side: a 4096x4096 photo leaves the slot as 4 MB, not 64 MB, and
# the digit in it is read at 20x20 anyway.
DECODED_SIDE = 1024

# Sessions (the `runs` gr.State in app.py, digitlab/ui/sessions.py): a session untouched this long
# is dropped with its checkpoint folder (gr.State time_to_live), and so is a session folder left
# by a server that was killed. A lesson is 1-2 hours; a tab left open overnight, or an API client
# that never closes its session, holds nothing past this.
SESSION_TTL_S = 4 * 3600
# A session's runs table keeps this many rows, the oldest dropped; only MAX_SESSION_MODELS of them
# keep a model (digitlab/ui/sessions.py), the rest a few kB each: settings, result, accuracy curve.
SESSION_RUNS_KEPT = 200
# Sessions Gradio keeps (launch's state_session_capacity), the least recently used dropped past it
# with their runs. Gradio copies the page's whole config into each one, ~400 kB here: a visitor
# opening thousands of sessions holds at most ~200 MB. A class of 40 uses a few dozen.
SESSIONS_KEPT = 500

# Gradio's cache (digitlab/ui/session_folders.py): each server process has its own folder, and
# what a gone process left is deleted at start-up. Uploads, the pictures Gradio serves and the
# scripts to download stay within this budget; the session folders in it are not counted (they
# go with their sessions). An upload past it is refused until the sweep frees room.
CACHE_BUDGET_BYTES = 64 * 2**20
UPLOAD_TTL_S = 300.0  # every event that takes a file reads it when called: older uploads go
CACHE_TTL_S = 1800.0  # a picture or a script to download, once the page has fetched it
CACHE_MIN_AGE_S = 30.0  # past the budget, files younger than this stay (a page may be fetching)
CACHE_SWEEP_S = 10.0  # how often the cache is swept

# The class's own handwriting (digitlab/lab/handwriting.py): a drawing is kept as the model's 28x28
# input, 784 bytes. A student adds a few dozen in a lesson; a class of 40 adds ~50 each.
MAX_SESSION_DRAWINGS = 500  # one session's own set: 0.4 MB
MAX_CLASS_DRAWINGS = 2000  # one class code's set: 1.6 MB
MAX_CLASSES = 64  # class codes held at once: at most ~100 MB of drawings on the server
CLASS_TTL_S = SESSION_TTL_S  # a class set unused this long is dropped, as a session is
# A teacher makes one code a lesson, two after a mistake: a session making more in this window is
# told to use one it has (62 codes in 0.4 s from one client once filled the server for hours).
MAX_CODES_PER_SESSION = 3
CODE_WINDOW_S = 600.0
# When the server holds MAX_CLASSES, an empty class set unused this long gives way to a new one:
# a teacher's open Teach tab uses its set every few seconds, so only abandoned codes go.
CLASS_RECYCLE_S = 300.0
# A set's zip (28x28 PNGs of ~300 bytes and labels.csv): 2,000 drawings make ~1 MB.
MAX_SET_ZIP_BYTES = 4_000_000  # the zip as uploaded (the app's upload cap is 5 MB)
MAX_SET_ENTRY_BYTES = 64_000  # one PNG once decompressed: a deflate bomb stops here
