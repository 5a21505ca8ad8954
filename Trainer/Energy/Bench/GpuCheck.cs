using GreenTrain.ServiceDefaults.Contracts;
using GreenTrain.Trainer.Energy.Nvml;
using GreenTrain.Trainer.Energy.Sinks;

namespace GreenTrain.Trainer.Energy.Bench;

/// <summary>
/// The GPU half of the agreement check: closes NVML windows of a fixed length (read by the meter's background GPU readers, as in a run) and writes them to
/// OUT/energy.jsonl, while tools/nvml_read.py loads the GPU and reads the same counter on its own;
/// tools/compare_nvml.py then compares the two. Reads only: no device setting is changed.
/// </summary>
public static class GpuCheck
{
    public static int Run(BenchArguments args)
    {
        var nvml = NvmlNativeBinding.TryCreate(out var whyNot);
        if (nvml is null)
        {
            Console.Error.WriteLine($"NVML is not available: {whyNot}");
            return 1;
        }
        var gpus = Enumerable.Range(0, nvml.DeviceCount)
            .Select(i => (IEnergySource)new NvmlGpuSource(nvml, i, TimeSpan.FromMilliseconds(100))).ToList();
        using var writer = new EnergyWindowFileWriter(args.Out);
        // Windows arrive from the GPUs' reader threads once read; the meter hands them over one at a time, in order.
        using var meter = new EnergyMeter("gpu-check", Guid.NewGuid().ToString("N"), gpus, window =>
        {
            writer.Append(window);
            Console.WriteLine($"window {window.Sequence}: {window.Start:HH:mm:ss.fff}-{window.End:HH:mm:ss.fff} "
                + string.Join(", ", window.Devices.Select(d => $"{d.Device} {d.Joules:F1} J ({d.AveragePowerWatts:F0} W)")));
        });
        Console.WriteLine(string.Join(", ", gpus.Select(g => $"{g.Device} {g.Model}: {g.Method}")));
        meter.Open(EnergyPhase.Train, 0);
        for (var i = 1; i < args.Windows; i++)
        {
            Thread.Sleep(TimeSpan.FromSeconds(args.Seconds));
            meter.Switch(EnergyPhase.Train, i);
        }
        Thread.Sleep(TimeSpan.FromSeconds(args.Seconds));
        meter.Close(args.Windows); // waits for the last reading: the last window is written before the check compares
        foreach (var row in LagSummary.Rows(meter))
        {
            Console.WriteLine($"{row[0]}: median {row[1]} us, p90 {row[2]} us");
        }
        meter.Dispose();
        nvml.Dispose();
        Console.WriteLine($"wrote {Path.Combine(args.Out, EnergyFiles.WindowsFileName)}");
        return 0;
    }
}
