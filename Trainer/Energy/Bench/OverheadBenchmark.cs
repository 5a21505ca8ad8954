using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using GreenTrain.ServiceDefaults.Contracts;
using GreenTrain.Trainer.Energy.Sinks;

namespace GreenTrain.Trainer.Energy.Bench;

/// <summary>
/// How much the meter adds to a training step: times each window switch on the training thread against the median
/// step time, for windows of 1, 10 and 100 steps, twice: as the meter works now (slow sources, GPUs, read by
/// background readers) and the old way (every source read on the training thread at the boundary). Steps run in
/// alternating blocks without and with a switch after every step. Prints a table and writes energy-overhead.csv;
/// then the boundary's parts and the background reads' lag (<see cref="BoundaryBreakdown"/>).
/// </summary>
public static class OverheadBenchmark
{
    private const int BlockSteps = 20;
    private const string Background = "slow sources on background readers";
    private const string Synchronous = "every source read at the boundary (old)";
    private static readonly string RunId = Guid.NewGuid().ToString("N");

    public static int Run(BenchArguments args)
    {
        var factory = new EnergyMeterFactory(new EnergyOptions());
        var closed = new ConcurrentQueue<EnergyWindow>();
        var sources = factory.CreateSources().ToList();
        if (args.SimulatedGpuReadMs > 0)
        {
            sources.Add(new SimulatedSlowSource(args.SimulatedGpuReadMs));
        }
        using var meter = new EnergyMeter("bench-overhead", RunId, sources, closed.Enqueue);
        // The block windows go to OUT/energy.jsonl too, so `Telemetry report --energy OUT` can be tried on a real measurement.
        using var writer = new EnergyWindowFileWriter(args.Out);
        writer.WriteRunInfo(factory.DescribeRun("bench-overhead", RunId, meter.Sources) with { ProjectName = "energy meter benchmark" });
        foreach (var note in factory.Notes)
        {
            Console.WriteLine($"  {note}");
        }
        var step = new SyntheticStep(args.Size);
        for (var i = 0; i < 20; i++)
        {
            step.Run(); // warm up the JIT and the caches before timing anything
        }

        var (plain, switchMs) = Measure(meter, step, args, closed, writer.Append);
        // The same sources read the old way, for comparison; its windows are not written (one run per energy.jsonl).
        using var synchronous = new EnergyMeter("bench-overhead-synchronous", RunId,
            meter.Sources.Select(s => (IEnergySource)new SynchronousSource(s)).ToList(), _ => { });
        var (plainOld, switchMsOld) = Measure(synchronous, step, args, new ConcurrentQueue<EnergyWindow>(), _ => { });

        var stepMs = Median([.. plain, .. plainOld]) / BlockSteps;
        Console.WriteLine($"plain blocks {stepMs:F3} ms/step; windows merged because boundaries outran the reads: {meter.MergedWindows}");
        var rows = new List<string[]>();
        foreach (var (reads, costs) in new[] { (Background, switchMs), (Synchronous, switchMsOld) })
        {
            var switchUs = Median(costs) * 1000;
            foreach (var every in new[] { 1, 10, 100 })
            {
                rows.Add(Row(every == 1 ? "every step" : $"every {every} steps", every, stepMs, switchUs, switchUs / 1000 / (every * stepMs) * 100, reads));
            }
        }
        Print(meter, rows, args);
        BoundaryBreakdown.Run(meter, step, writer, args.Out, closed);
        return 0;
    }

    /// <summary>Alternating blocks without and with a switch after every step; returns the plain blocks' times and each switch's cost (ms).</summary>
    private static (List<double> PlainBlocks, List<double> SwitchMs) Measure(
        EnergyMeter meter, SyntheticStep step, BenchArguments args, ConcurrentQueue<EnergyWindow> closed, Action<EnergyWindow> write)
    {
        var plain = new List<double>();
        var switchCosts = new List<double>();
        meter.Open(EnergyPhase.Train, 0);
        long stepNumber = 0;
        for (var block = 0; block < Math.Max(args.Steps / BlockSteps / 2, 1); block++)
        {
            // Alternating blocks cancel slow drifts of a shared machine (other jobs, frequency changes).
            plain.Add(TimeBlock(step, null, switchCosts, ref stepNumber));
            meter.Switch(EnergyPhase.Train, stepNumber);
            TimeBlock(step, meter, switchCosts, ref stepNumber);
            // Written outside the timed blocks: each append is flushed to disk, which is the sink's cost, not the meter's.
            while (closed.TryDequeue(out var window))
            {
                write(window);
            }
        }
        meter.Close(stepNumber);
        while (closed.TryDequeue(out var window))
        {
            write(window);
        }
        return (plain, switchCosts);
    }

    private static double TimeBlock(SyntheticStep step, EnergyMeter? meter, List<double> switchCosts, ref long stepNumber)
    {
        var watch = Stopwatch.StartNew();
        for (var i = 0; i < BlockSteps; i++)
        {
            step.Run();
            stepNumber++;
            if (meter is not null)
            {
                var before = Stopwatch.GetTimestamp();
                meter.Switch(EnergyPhase.Train, stepNumber);
                switchCosts.Add(Stopwatch.GetElapsedTime(before).TotalMilliseconds);
            }
        }
        return watch.Elapsed.TotalMilliseconds;
    }

    private static string[] Row(string windows, int every, double stepMs, double switchUs, double overheadPercent, string reads) =>
    [
        windows, every.ToString(CultureInfo.InvariantCulture), stepMs.ToString("F3", CultureInfo.InvariantCulture),
        switchUs.ToString("F1", CultureInfo.InvariantCulture), overheadPercent.ToString("F3", CultureInfo.InvariantCulture), reads,
    ];

    private static void Print(EnergyMeter meter, List<string[]> rows, BenchArguments args)
    {
        string[] header = ["window", "steps_per_window", "step_ms", "meter_us_per_window", "overhead_percent", "reads"];
        var sources = string.Join(" + ", meter.Sources.Select(s => $"{s.Device}:{s.Method.ToString().ToLowerInvariant()}{(s.ReadsSlowly ? ":slow" : "")}"));
        Console.WriteLine($"sources: {sources}");
        Console.WriteLine(string.Join(" | ", header));
        foreach (var row in rows)
        {
            Console.WriteLine(string.Join(" | ", row));
        }
        Directory.CreateDirectory(args.Out);
        var file = Path.Combine(args.Out, "energy-overhead.csv");
        File.WriteAllLines(file, [string.Join(",", [.. header, "sources"]), .. rows.Select(r => string.Join(",", [.. r, sources]))]);
        Console.WriteLine($"wrote {file}");
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }
}
