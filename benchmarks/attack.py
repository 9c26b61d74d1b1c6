"""Issue 29's attack on a public Space, every row: what a visitor can do to the app's memory,
disk, training slot and error messages, measured. Runs the three parts in turn:

- benchmarks/attack_memory.py: wide runs from one session, thousands of sessions, uploads no
  event uses, Inside-tab calls, a restart: RSS and the Gradio cache's size after each;
- benchmarks/attack_training.py: Stop on the largest allowed models (p50/p95/max), and one
  session pausing again and again while another waits for the slot;
- benchmarks/attack_inputs.py: big images while a student draws, a burst of class codes, and a
  fuzz of every endpoint counting errors without a message.

    python -m benchmarks.attack [--quick]

Each part also runs alone (python -m benchmarks.attack_memory, ...). Figures from a machine that
runs other work are not the ones to quote: each part prints what it measured on.
"""

from __future__ import annotations

import sys

from benchmarks import attack_inputs, attack_memory, attack_training


def main() -> None:
    for part in (attack_memory, attack_training, attack_inputs):
        print(f"\n# {part.__name__}\n", flush=True)
        part.main()  # each reads --quick from sys.argv


if __name__ == "__main__":
    sys.exit(main())
