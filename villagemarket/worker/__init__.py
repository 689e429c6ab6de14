"""The background worker: django-tasks-db's worker made to survive its database, plus the sweeps.

runner.py   ResilientWorker: a lost connection fails or re-queues the task and the worker reconnects
recovery.py tasks left RUNNING by a killed worker are re-queued (or failed) after a timeout
schedule.py the periodic sweeps every app declares in its tasks.PERIODIC
"""
