#!/usr/bin/env python3
"""Independent reading of the NVML energy counter, for the GPU agreement check of GreenTrain's meter.

Reads nvmlDeviceGetTotalEnergyConsumption (mJ) and nvmlDeviceGetPowerUsage (mW) through ctypes, with no
code shared with the .NET meter, and writes one CSV row per sample: unix_time,gpu,energy_mj,power_mw.
With --load it also keeps the GPU busy with bf16 matrix products (needs torch), so the check covers a
loaded GPU. It only reads: no power limit, clock or other device setting is changed.

    python3 nvml_read.py --seconds 70 --interval 0.02 --load --out samples.csv
"""
import argparse
import csv
import ctypes
import threading
import time


def load_nvml():
    nvml = ctypes.CDLL("libnvidia-ml.so.1")
    check(nvml, nvml.nvmlInit_v2(), "nvmlInit_v2")
    return nvml


def check(nvml, code, what):
    if code != 0:
        nvml.nvmlErrorString.restype = ctypes.c_char_p
        raise RuntimeError(f"{what} failed: {nvml.nvmlErrorString(code).decode()} ({code})")


def handles(nvml):
    count = ctypes.c_uint()
    check(nvml, nvml.nvmlDeviceGetCount_v2(ctypes.byref(count)), "nvmlDeviceGetCount_v2")
    result = []
    for index in range(count.value):
        handle = ctypes.c_void_p()
        check(nvml, nvml.nvmlDeviceGetHandleByIndex_v2(index, ctypes.byref(handle)), "nvmlDeviceGetHandleByIndex_v2")
        result.append(handle)
    return result


def read(nvml, handle):
    energy = ctypes.c_ulonglong()
    power = ctypes.c_uint()
    check(nvml, nvml.nvmlDeviceGetTotalEnergyConsumption(handle, ctypes.byref(energy)), "nvmlDeviceGetTotalEnergyConsumption")
    check(nvml, nvml.nvmlDeviceGetPowerUsage(handle, ctypes.byref(power)), "nvmlDeviceGetPowerUsage")
    return energy.value, power.value


def busy_gpu(stop, seconds):
    """Bursts of bf16 matmuls with short rests, so power moves up and down inside each window."""
    import torch

    a = torch.randn(8192, 8192, device="cuda", dtype=torch.bfloat16)
    b = torch.randn(8192, 8192, device="cuda", dtype=torch.bfloat16)
    end = time.time() + seconds
    burst = 0
    while not stop.is_set() and time.time() < end:
        for _ in range(20 + 20 * (burst % 3)):
            a = (a @ b) * 1e-3
        torch.cuda.synchronize()
        burst += 1
        time.sleep(0.2 * (burst % 4))


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=70, help="how long to sample (s)")
    parser.add_argument("--interval", type=float, default=0.02, help="time between samples (s)")
    parser.add_argument("--load", action="store_true", help="keep the GPU busy with torch while sampling")
    parser.add_argument("--out", default="nvml_samples.csv")
    args = parser.parse_args()

    nvml = load_nvml()
    devices = handles(nvml)
    stop = threading.Event()
    worker = None
    if args.load:
        worker = threading.Thread(target=busy_gpu, args=(stop, args.seconds), daemon=True)
        worker.start()
    with open(args.out, "w", newline="") as f:
        out = csv.writer(f)
        out.writerow(["unix_time", "gpu", "energy_mj", "power_mw"])
        end = time.time() + args.seconds
        while time.time() < end:
            for index, handle in enumerate(devices):
                energy, power = read(nvml, handle)
                out.writerow([f"{time.time():.6f}", index, energy, power])
            time.sleep(args.interval)
    stop.set()
    if worker:
        worker.join()
    nvml.nvmlShutdown()
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
