# Source: CPython documentation, multiprocessing, "Exchanging objects between processes" (Queues), https://docs.python.org/3/library/multiprocessing.html
from multiprocessing import Process, Queue

def f(q):
    q.put([42, None, 'hello'])

if __name__ == '__main__':
    q = Queue()
    p = Process(target=f, args=(q,))
    p.start()
    print(q.get())    # prints "[42, None, 'hello']"
    p.join()
