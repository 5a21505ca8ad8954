using System.Collections.Concurrent;
using System.Diagnostics;
using GreenTrain.ServiceDefaults.Contracts;
using GreenTrain.Trainer.Energy.Sinks;

namespace GreenTrain.Trainer.Energy.Bench;

/// <summary>
/// Where a window boundary's time goes on the training thread: each source's Read() on its own (what the old meter
/// paid at every boundary), the whole Switch() as it is now (slow sources handed to background readers), and handing
/// a closed window to the run folder's sink; then how late the background readings came after their boundaries
/// (the bound on how far energy can shift between neighbouring windows). Each is timed right after a training step,
/// as in a run, and reported as the median and 90th percentile of many boundaries. Prints a table and writes
/// energy-boundary.csv.
/// </summary>
public static class BoundaryBreakdown
{
    private const int Boundaries = 100;

    public static void Run(EnergyMeter meter, SyntheticStep step, IEnergyWindowSink sink, string outFolder, ConcurrentQueue<EnergyWindow> closed)
    {
        var rows = new List<string[]>();
        foreach (var source in meter.Sources)
        {
            var costs = new List<double>();
            for (var i = 0; i < Boundaries; i++)
            {
                step.Run();
                var before = Stopwatch.GetTimestamp();
                source.Read(); // the meter's readers are idle here: every window so far was closed and flushed
                costs.Add(Stopwatch.GetElapsedTime(before).TotalMicroseconds);
            }
            var how = source.ReadsSlowly ? ", on the training thread as the old meter did" : "";
            rows.Add(LagSummary.Row($"{source.Device} Read() ({source.Method.ToString().ToLowerInvariant()}{how})", costs));
        }

        meter.ReadLags.Clear();
        var switches = new List<double>();
        meter.Open(EnergyPhase.Train, 0);
        for (var i = 1; i <= Boundaries; i++)
        {
            step.Run();
            var before = Stopwatch.GetTimestamp();
            meter.Switch(EnergyPhase.Train, i);
            switches.Add(Stopwatch.GetElapsedTime(before).TotalMicroseconds);
        }
        meter.Close(Boundaries);
        rows.Add(LagSummary.Row("Switch() on the training thread (slow sources on background readers)", switches));
        rows.AddRange(LagSummary.Rows(meter));
        var windows = new List<EnergyWindow>();
        while (closed.TryDequeue(out var window))
        {
            windows.Add(window);
        }

        // The run folder's writer flushes each window to disk; the standalone run hands windows to it through a background sink.
        rows.Add(TimeAppends(windows, step, sink, "on the training thread"));
        using (var background = new BackgroundEnergyWindowSink(new EnergyWindowFileWriter(Path.Combine(outFolder, "background-sink"))))
        {
            rows.Add(TimeAppends(windows, step, background, "through BackgroundEnergyWindowSink"));
        }

        string[] header = ["boundary_part", "median_us", "p90_us"];
        Console.WriteLine();
        Console.WriteLine(string.Join(" | ", header));
        rows.ForEach(r => Console.WriteLine(string.Join(" | ", r)));
        var file = Path.Combine(outFolder, "energy-boundary.csv");
        File.WriteAllLines(file, [string.Join(",", header), .. rows.Select(r => string.Join(",", r.Select(Quote)))]);
        Console.WriteLine($"wrote {file}");
    }

    private static string[] TimeAppends(List<EnergyWindow> windows, SyntheticStep step, IEnergyWindowSink sink, string how)
    {
        var appends = new List<double>();
        foreach (var window in windows)
        {
            step.Run();
            var before = Stopwatch.GetTimestamp();
            sink.Append(window);
            appends.Add(Stopwatch.GetElapsedTime(before).TotalMicroseconds);
        }
        return LagSummary.Row($"energy.jsonl Append() {how}", appends);
    }

    private static string Quote(string cell) => cell.Contains(',') ? $"\"{cell}\"" : cell;
}
