# The lesson's Pipe example as written (module-level Pipe, no main guard: fork only), shorter sleeps.
# ruff: noqa
# fmt: off
from multiprocessing import Process, Pipe
import os
import time
# 创建管道对象，如果为单向管道，fd1只能调用recv,fd2只能调用send
fd1, fd2 = Pipe()
def fun(name):
    time.sleep(0.1)
    # 向管道写入内容
    fd1.send(name)
jobs = []
for i in range(5):
    p = Process(target=fun, args=(i,))
    jobs.append(p)
    p.start()
for i in range(5):
    data = fd2.recv()
    print(data)
for i in jobs:
    i.join()
