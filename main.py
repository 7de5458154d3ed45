"""mpscope: see Python multiprocessing at work, live.

Run ``python main.py`` for the window, ``python main.py --help`` for the command line.
Imports stay light here: the runner process is spawned from this file and re-imports it.
"""

import multiprocessing
import sys

if __name__ == "__main__":
    multiprocessing.freeze_support()
    from control.cli import main

    sys.exit(main())
