using System.ComponentModel.DataAnnotations;

namespace GreenTrain.Scheduler.Providers;

/// <summary>Settings of trace replay (section Carbon:Replay).</summary>
public sealed class TraceReplayOptions
{
    /// <summary>How much faster than the wall clock the trace runs; 96 turns a day into 15 minutes.</summary>
    [Range(1, 100_000)]
    public double SpeedUp { get; set; } = 96;

    /// <summary>The trace moment replay starts from (the first week of March 2020 has both clean and dirty days).</summary>
    public DateTimeOffset TraceStart { get; set; } = new(2020, 3, 2, 0, 0, 0, TimeSpan.Zero);

    /// <summary>How far ahead, in trace hours, each forecast reaches.</summary>
    [Range(1, 24 * 14)]
    public double HorizonHours { get; set; } = 72;

    /// <summary>Optional trace files by region; regions not named here use the embedded traces (DE, FR, GB).</summary>
    public Dictionary<string, string> Files { get; set; } = new(StringComparer.OrdinalIgnoreCase);
}
