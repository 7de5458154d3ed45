# The lesson's process1.py as written (module level, no main guard: fork only), shorter sleeps.
# ruff: noqa
# fmt: off
import multiprocessing as mp 
from time import sleep 

#编写进程函数
def fun():
    sleep(0.15)
    global a
    print('a=',a)
    a=10000
    print('子进程事件')
a=1
#创建进程对象
p=mp.Process(target=fun)

#启动进程
p.start()

sleep(0.1)
print('父进程事件')
#回收进程
p.join()
print('parent a=',a)
