using System.Diagnostics;
using System.Globalization;
using GreenTrain.ServiceDefaults.Contracts;
using GreenTrain.Trainer.Energy.Sinks;

namespace GreenTrain.Trainer.Energy.Bench;

/// <summary>
/// How much the meter adds to a training step: times each window switch (reading every source) against the
/// median step time, for windows of 1, 10 and 100 steps. Steps run in alternating blocks without and with a
/// switch after every step. Prints a table and writes energy-overhead.csv; then the boundary's parts
/// (<see cref="BoundaryBreakdown"/>).
/// </summary>
public static class OverheadBenchmark
{
    private const int BlockSteps = 20;
    private static readonly string RunId = Guid.NewGuid().ToString("N");

    public static int Run(BenchArguments args)
    {
        var factory = new EnergyMeterFactory(new EnergyOptions());
        using var meter = factory.CreateMeter("bench-overhead", RunId);
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

        var plain = new List<double>();
        var metered = new List<double>();
        var switchCosts = new List<double>();
        var closed = new List<EnergyWindow>();
        meter.Open(EnergyPhase.Train, 0);
        long stepNumber = 0;
        for (var block = 0; block < Math.Max(args.Steps / BlockSteps / 2, 1); block++)
        {
            // Alternating blocks cancel slow drifts of a shared machine (other jobs, frequency changes).
            plain.Add(TimeBlock(step, null, switchCosts, closed, ref stepNumber));
            closed.Add(meter.Switch(EnergyPhase.Train, stepNumber));
            metered.Add(TimeBlock(step, meter, switchCosts, closed, ref stepNumber));
            // Written outside the timed blocks: each append is flushed to disk, which is the sink's cost, not the meter's.
            closed.ForEach(writer.Append);
            closed.Clear();
        }
        writer.Append(meter.Close(stepNumber));

        var stepMs = Median(plain) / BlockSteps;
        // The metered blocks' own time is printed but not used: on a shared machine their difference from the plain
        // blocks is noise of +-20% (a meter with no sources shows the same), far above a 1% effect. The switch is timed instead.
        Console.WriteLine($"plain blocks {stepMs:F3} ms/step, metered blocks {Median(metered) / BlockSteps:F3} ms/step (noise-dominated)");
        var switchUs = Median(switchCosts) * 1000;
        var rows = new List<string[]>
        {
            Row("every step", 1, stepMs, switchUs, switchUs / 1000 / stepMs * 100),
            Row("every 10 steps", 10, stepMs, switchUs, switchUs / 1000 / (10 * stepMs) * 100),
            Row("every 100 steps", 100, stepMs, switchUs, switchUs / 1000 / (100 * stepMs) * 100),
        };
        Print(meter, rows, args);
        BoundaryBreakdown.Run(meter, step, writer, args.Out);
        return 0;
    }

    private static double TimeBlock(SyntheticStep step, EnergyMeter? meter, List<double> switchCosts, List<EnergyWindow> closed, ref long stepNumber)
    {
        var watch = Stopwatch.StartNew();
        for (var i = 0; i < BlockSteps; i++)
        {
            step.Run();
            stepNumber++;
            if (meter is not null)
            {
                var before = Stopwatch.GetTimestamp();
                closed.Add(meter.Switch(EnergyPhase.Train, stepNumber));
                switchCosts.Add(Stopwatch.GetElapsedTime(before).TotalMilliseconds);
            }
        }
        return watch.Elapsed.TotalMilliseconds;
    }

    private static string[] Row(string windows, int every, double stepMs, double switchUs, double overheadPercent) =>
    [
        windows, every.ToString(CultureInfo.InvariantCulture), stepMs.ToString("F3", CultureInfo.InvariantCulture),
        switchUs.ToString("F1", CultureInfo.InvariantCulture), overheadPercent.ToString("F3", CultureInfo.InvariantCulture),
    ];

    private static void Print(EnergyMeter meter, List<string[]> rows, BenchArguments args)
    {
        string[] header = ["window", "steps_per_window", "step_ms", "meter_us_per_window", "overhead_percent"];
        var sources = string.Join(" + ", meter.Sources.Select(s => $"{s.Device}:{s.Method.ToString().ToLowerInvariant()}"));
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
