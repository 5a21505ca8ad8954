using System.Diagnostics;
using System.Globalization;
using GreenTrain.ServiceDefaults.Contracts;
using GreenTrain.Trainer.Energy.Sinks;

namespace GreenTrain.Trainer.Energy.Bench;

/// <summary>
/// Where a window boundary's time goes on the training thread: each source's Read() on its own, and handing the
/// closed window to the run folder's sink. Each is timed right after a training step, as in a run, and reported as
/// the median and 90th percentile of many boundaries. Prints a table and writes energy-boundary.csv.
/// </summary>
public static class BoundaryBreakdown
{
    private const int Boundaries = 100;

    public static void Run(EnergyMeter meter, SyntheticStep step, IEnergyWindowSink sink, string outFolder)
    {
        var rows = new List<string[]>();
        foreach (var source in meter.Sources)
        {
            var costs = new List<double>();
            for (var i = 0; i < Boundaries; i++)
            {
                step.Run();
                var before = Stopwatch.GetTimestamp();
                source.Read();
                costs.Add(Stopwatch.GetElapsedTime(before).TotalMicroseconds);
            }
            rows.Add(Row($"{source.Device} Read() ({source.Method.ToString().ToLowerInvariant()})", costs));
        }

        // The run folder's writer flushes each window to disk; the standalone run hands windows to it through a background sink.
        rows.Add(TimeAppends(meter, step, sink, "on the training thread"));
        using (var background = new BackgroundEnergyWindowSink(new EnergyWindowFileWriter(Path.Combine(outFolder, "background-sink"))))
        {
            rows.Add(TimeAppends(meter, step, background, "through BackgroundEnergyWindowSink"));
        }

        string[] header = ["boundary_part", "median_us", "p90_us"];
        Console.WriteLine();
        Console.WriteLine(string.Join(" | ", header));
        rows.ForEach(r => Console.WriteLine(string.Join(" | ", r)));
        var file = Path.Combine(outFolder, "energy-boundary.csv");
        File.WriteAllLines(file, [string.Join(",", header), .. rows.Select(r => string.Join(",", r))]);
        Console.WriteLine($"wrote {file}");
    }

    private static string[] TimeAppends(EnergyMeter meter, SyntheticStep step, IEnergyWindowSink sink, string how)
    {
        var appends = new List<double>();
        meter.Open(EnergyPhase.Train, 0);
        for (var i = 0; i < Boundaries / 2; i++)
        {
            step.Run();
            var window = meter.Switch(EnergyPhase.Train, i);
            var before = Stopwatch.GetTimestamp();
            sink.Append(window);
            appends.Add(Stopwatch.GetElapsedTime(before).TotalMicroseconds);
        }
        sink.Append(meter.Close(Boundaries / 2));
        return Row($"energy.jsonl Append() {how}", appends);
    }

    private static string[] Row(string part, List<double> microseconds)
    {
        var sorted = microseconds.Order().ToArray();
        return [part, F(sorted[sorted.Length / 2]), F(sorted[(int)(sorted.Length * 0.9)])];
    }

    private static string F(double value) => value.ToString("F1", CultureInfo.InvariantCulture);
}
