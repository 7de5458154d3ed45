# The lesson's process2.py as written (module level, no main guard: fork only), shorter sleeps.
# ruff: noqa
# fmt: off
from  multiprocessing import Process 
from time import sleep 
import os
def th1():
    sleep(0.1)
    print('吃饭')
    print(os.getppid(),'--',os.getpid())

def th2():
    sleep(0.2)
    print('睡觉')
    print(os.getppid(),'--',os.getpid())

def th3():
    sleep(0.15)
    print('打豆豆')
    print(os.getppid(),'--',os.getpid())

things=[th1,th2,th3]
process=[]
for th in things:
    p=Process(target=th)
    process.append(p)#保留每次创建的进程对象
    p.start()

for i in process:
    i.join()
