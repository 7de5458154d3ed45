# The lesson's pool.map example as written (no main guard: fork only), shorter sleeps.
# ruff: noqa
# fmt: off
from  multiprocessing import Pool 
from time import sleep,ctime 
def fun(n):
    sleep(0.05)
    return n*n
#创建一个进程池
pool=Pool()

r=pool.map(fun,[1,2,3,4,5])

#关闭进程池
pool.close()
#回收进程池
pool.join()
print(r)
