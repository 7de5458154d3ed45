"""A raw os.fork(): the child prints and leaves with os._exit(3); the parent reaps it with waitpid."""

import os
import time

if __name__ == "__main__":
    pid = os.fork()
    if pid == 0:
        time.sleep(0.05)
        print(f"forked child {os.getpid()}", flush=True)
        os._exit(3)
    _, status = os.waitpid(pid, 0)
    print(f"parent reaped {pid} with exit code {os.waitstatus_to_exitcode(status)}")
