# Source: CPython documentation, multiprocessing, "Synchronization between processes" (Lock), https://docs.python.org/3/library/multiprocessing.html
from multiprocessing import Process, Lock

def f(l, i):
    l.acquire()
    try:
        print('hello world', i)
    finally:
        l.release()

if __name__ == '__main__':
    lock = Lock()

    for num in range(10):
        Process(target=f, args=(lock, num)).start()
