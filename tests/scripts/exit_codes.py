"""sys.exit(n) in a child and in main: usage `exit_codes.py CHILD_CODE MAIN_CODE`."""

import sys
from multiprocessing import Process


def leave(code):
    print("child leaves with", code)
    sys.exit(code)


if __name__ == "__main__":
    child_code, main_code = int(sys.argv[1]), int(sys.argv[2])
    p = Process(target=leave, args=(child_code,))
    p.start()
    p.join()
    print("child exit code", p.exitcode)
    sys.exit(main_code)
