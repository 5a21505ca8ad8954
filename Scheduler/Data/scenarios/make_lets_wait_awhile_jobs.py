"""Writes the job set of the Let's Wait Awhile ML-training scenario (Wiesner et al., Middleware 2021).

The paper's published simulation draws its jobs with NumPy's default_rng(0): 3387 jobs spread over the
workdays of 2020 by a multinomial draw, each day's arrivals at random half hours from 09:00 to 16:30
(sorted), then one duration per job uniformly from 4 h to 89.5 h in half-hour steps. Drawing in the same
order with the same generator gives the same jobs, so our back-test can run on exactly the paper's set.
Run with the system Python that has NumPy: /usr/bin/python3 make_lets_wait_awhile_jobs.py > lets-wait-awhile-ml-jobs.csv
"""
import datetime as dt

import numpy as np

JOBS = 3387
rng = np.random.default_rng(0)
days = [dt.date(2020, 1, 1) + dt.timedelta(days=i) for i in range(366)]
workdays = [d for d in days if d.weekday() < 5]
per_workday = dict(zip(workdays, rng.multinomial(JOBS, [1 / len(workdays)] * len(workdays))))
half_hours = range(9 * 60, 17 * 60, 30)
arrivals = []
for day in days:  # weekends draw zero arrivals, which consumes nothing from the generator
    count = int(per_workday.get(day, 0))
    for minute in np.sort(rng.choice(half_hours, size=count)):
        arrivals.append(dt.datetime.combine(day, dt.time()) + dt.timedelta(minutes=int(minute)))
durations = rng.choice(range(4 * 60, 90 * 60, 30), size=JOBS)
print("arrival,durationMinutes")
for arrival, minutes in zip(arrivals, durations):
    print(f"{arrival:%Y-%m-%d %H:%M:%S},{int(minutes)}")
