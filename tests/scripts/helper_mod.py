"""A helper module imported by uses_helper_module.py from the folder beside it."""

import os


def describe(n):
    return f"helper {n} in {os.getpid()}"


def work(n):
    print(describe(n))
