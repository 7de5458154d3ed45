# The lesson's Queue methods example exactly as written: `queue(3)` is a NameError (and `sleep`
# is never imported), so in plain Python it fails at once with a traceback and exit code 1.
# ruff: noqa
# fmt: off
from multiprocessing import Queue 
#创建消息队列
q=queue(3)

q.put(1)
sleep(0.1)
print(q.empty())#False
q.put(2)
q.put(3)
print(q.full())#True
print(q.get())#先进先出,取出1条#1
print(q.qsize())#2
q.close()#关闭队列
