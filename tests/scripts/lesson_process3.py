# The lesson's process3.py as written (module level, no main guard: fork only), shorter sleeps.
# ruff: noqa
# fmt: off
from  multiprocessing import Process 
from time import sleep 
import os
#带参数的进程函数
def worker(sec,name):
    for i in range(3):
        sleep(sec)
        print('I am %s'%name)
        print('I am workong...')
# p=Process(target=worker,args=(2,'Levis'))
p=Process(target=worker,kwargs={'sec':0.1,'name':'Levis'})

p.start()
p.join(0.2)
print('===================')
