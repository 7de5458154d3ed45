"""How a process ends, and the exit code Python gives it: usage exit_messages.py START_METHOD
FOLDER HOW, HOW one of message (sys.exit("text"): printed, code 1), none (sys.exit()), int
(sys.exit(5)), error (an uncaught exception: its traceback, code 1). The child ends the same way;
an atexit handler in main prints after the end.
"""

import atexit
import multiprocessing as mp
import sys


def leave(how, who):
    if how == "message":
        sys.exit(f"{who} says goodbye")
    if how == "none":
        sys.exit()
    if how == "int":
        sys.exit(5 if who == "main" else 6)
    raise RuntimeError(f"{who} fails")


if __name__ == "__main__":
    method, folder, how = sys.argv[1:4]
    mp.set_start_method(method)
    atexit.register(print, "atexit handler of main runs after the end")
    p = mp.Process(target=leave, args=(how, "child"))
    p.start()
    p.join()
    print("child exit code", p.exitcode)
    leave(how, "main")
