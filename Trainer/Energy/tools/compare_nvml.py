#!/usr/bin/env python3
"""Compares GreenTrain's GPU energy windows with an independent reading of the same NVML counter.

For each window in energy.jsonl (written by `GreenTrain.Energy.Bench gpu-check`), interpolates the counter
sampled by nvml_read.py at the window's start and end (same system clock) and compares the two energies.
Prints a table, writes it as CSV, and exits 1 if any window differs by more than --tolerance percent.

    python3 compare_nvml.py --windows run/energy.jsonl --samples samples.csv --out agreement.csv
"""
import argparse
import bisect
import csv
import json
import sys
from datetime import datetime


def load_samples(path):
    series = {}
    with open(path) as f:
        for row in csv.DictReader(f):
            series.setdefault(int(row["gpu"]), []).append((float(row["unix_time"]), int(row["energy_mj"])))
    return {gpu: sorted(points) for gpu, points in series.items()}


def counter_at(points, t):
    times = [p[0] for p in points]
    i = bisect.bisect_left(times, t)
    if i == 0 or i == len(points):
        raise ValueError(f"time {t} is outside the samples ({times[0]} .. {times[-1]})")
    (t0, e0), (t1, e1) = points[i - 1], points[i]
    return e0 + (e1 - e0) * (t - t0) / (t1 - t0)


def unix(iso):
    return datetime.fromisoformat(iso.replace("Z", "+00:00")).timestamp()


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--windows", required=True)
    parser.add_argument("--samples", required=True)
    parser.add_argument("--tolerance", type=float, default=1.0, help="allowed difference (percent)")
    parser.add_argument("--out", default="nvml_agreement.csv")
    args = parser.parse_args()

    samples = load_samples(args.samples)
    rows = []
    with open(args.windows) as f:
        for line in f:
            window = json.loads(line)
            start, end = unix(window["start"]), unix(window["end"])
            for device in window["devices"]:
                if device["kind"] != "gpu":
                    continue
                gpu = int(device["device"].split(":")[1])
                python_j = (counter_at(samples[gpu], end) - counter_at(samples[gpu], start)) / 1000
                dotnet_j = device["joules"]
                diff = 100 * (dotnet_j - python_j) / python_j if python_j else float("inf")
                rows.append([window["sequence"], gpu, f"{end - start:.3f}", f"{dotnet_j:.2f}", f"{python_j:.2f}", f"{diff:.3f}"])
    header = ["window", "gpu", "seconds", "dotnet_joules", "python_joules", "difference_percent"]
    print(" | ".join(header))
    for row in rows:
        print(" | ".join(str(v) for v in row))
    with open(args.out, "w", newline="") as f:
        csv.writer(f).writerows([header] + rows)
    worst = max(abs(float(r[5])) for r in rows) if rows else float("inf")
    print(f"worst difference {worst:.3f}% (tolerance {args.tolerance}%); wrote {args.out}")
    sys.exit(0 if worst <= args.tolerance else 1)


if __name__ == "__main__":
    main()
