# Source: CPython documentation, multiprocessing, "Contexts and start methods" (set_start_method), https://docs.python.org/3/library/multiprocessing.html
import multiprocessing as mp

def foo(q):
    q.put('hello')

if __name__ == '__main__':
    mp.set_start_method('spawn')
    q = mp.Queue()
    p = mp.Process(target=foo, args=(q,))
    p.start()
    print(q.get())
    p.join()
