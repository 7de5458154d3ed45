# The lesson's Queue example as written (module-level Queue, no main guard: fork only), shorter sleeps.
# ruff: noqa
# fmt: off
from multiprocessing import Queue,Process 
import time
#创建消息队列
q=Queue()

def fun1():
    for i in range(10):
        time.sleep(0.05)
        q.put((1,2))
def fun2():
    for i in range(10):
        time.sleep(0.075)
        a,b=q.get()
        print('sum=',a+b)
p1=Process(target=fun1)
p2=Process(target=fun2)
p1.start()
p2.start()
p1.join()
p2.join()
