# The lesson's Process attributes example as written (no main guard: fork only), shorter sleeps.
# ruff: noqa
# fmt: off
from  multiprocessing import Process 
from time import sleep,ctime
def tm():
    for i in range(4):
        sleep(0.2)
        print(ctime(),end='\r')
p=Process(target=tm,name='Tarena')
p.daemon=True#要在start之前设置,一般不会和p.join一起使用
p.start()
print('Pcocess name:',p.name,'/Process PID:',p.pid,'/Process status',p.is_alive(),sep='')
# p.join()
