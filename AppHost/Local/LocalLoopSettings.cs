using System.Globalization;
using Microsoft.Extensions.Configuration;

namespace GreenTrain.AppHost.Local;

/// <summary>
/// How the local composition replays the grid (section "Local"): which regions (each one replayed trace and
/// one trainer), how fast the trace runs, optional trace files, and whether the demo experiment is submitted
/// (section "Demo"). Defaults show clean and dirty hours within minutes on a laptop.
/// </summary>
public sealed record LocalLoopSettings(
    IReadOnlyList<string> Regions,
    double SpeedUp,
    IReadOnlyDictionary<string, string> TraceFiles,
    bool DemoEnabled,
    string TraceStart,
    IReadOnlyDictionary<string, string> SchedulerSettings)
{
    /// <summary>
    /// Where replay starts in the 2020 traces: the morning of 20 April 2020, when France's grid is clean at dawn (23 g/kWh),
    /// turns dirtier towards midday (about 50 g/kWh) and clean again in the evening, and Germany's is dirtier throughout.
    /// The demo (90 s estimated, due in 12 grid hours) is then planned to start at once in FR, pause within the first
    /// minute and resume about two minutes later (~30% less than running at once), whether the machine trains it twice
    /// as fast as estimated or half again slower, and with the first plan made up to ten seconds after replay began.
    /// Found by scanning the traces with the Scheduler's own planner; DemoPlanTests keeps it true.
    /// </summary>
    public const string DefaultTraceStart = "2020-04-20T06:30:00Z";

    /// <summary>A trace day in six minutes: a planning cell (15 grid minutes) is 3.75 s, the demo's twelve grid hours three minutes.</summary>
    public const double DefaultSpeedUp = 240;

    /// <summary>
    /// What a pause costs at the scale of the local loop's CPU runs: a checkpoint of a small model on CPU takes a
    /// fraction of a second, while the Scheduler's defaults are sized for GPU jobs. Once Telemetry's prediction gives
    /// these runs their measured few Wh, GPU-sized pause costs would make every pause dearer than the dirty hours.
    /// Local:Scheduler:* settings override them.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, string> DefaultSchedulerSettings = new Dictionary<string, string>
    {
        ["CheckpointKWh"] = "0.00001",
        ["ResumeKWh"] = "0.00002",
        ["MigrationKWh"] = "0.00005",
        // The plan's hysteresis (a run it started is not paused within this many wall seconds) is 30 s for the real
        // clock; at the replay's 240x that would be two grid hours and swallow every clean-dirty swing of the demo.
        ["MinRunSeconds"] = "2",
    };

    public static LocalLoopSettings From(IConfiguration configuration)
    {
        var local = configuration.GetSection("Local");
        var regions = local.GetSection("Regions").Get<string[]>() is { Length: > 0 } configured
            ? configured.Select(r => r.Trim().ToUpperInvariant()).Distinct().ToArray()
            : ["DE", "FR"];
        var speedUpText = local["SpeedUp"];
        var speedUp = DefaultSpeedUp;
        if (speedUpText is { Length: > 0 } && !(double.TryParse(speedUpText, NumberStyles.Float, CultureInfo.InvariantCulture, out speedUp) && speedUp is >= 1 and <= 100_000))
        {
            throw new AppHostConfigurationException("Local:SpeedUp", $"'{speedUpText}' is not valid: use a number from 1 to 100000 (how much faster than the clock the trace runs).");
        }
        var files = local.GetSection("TraceFiles").GetChildren()
            .Where(c => !string.IsNullOrWhiteSpace(c.Value))
            .ToDictionary(c => c.Key.ToUpperInvariant(), c => Path.GetFullPath(c.Value!));
        foreach (var (region, file) in files.Where(f => !File.Exists(f.Value)))
        {
            throw new AppHostConfigurationException($"Local:TraceFiles:{region}", $"{file} does not exist.");
        }
        var demoText = configuration["Demo:Enabled"];
        var demo = demoText is not { Length: > 0 } || (bool.TryParse(demoText, out var on)
            ? on
            : throw new AppHostConfigurationException("Demo:Enabled", $"'{demoText}' is not valid: use true or false."));
        // Pass-through for the Scheduler's timings (Local:Scheduler:DispatchSeconds=2 -> Scheduler__DispatchSeconds=2).
        var scheduler = new Dictionary<string, string>(DefaultSchedulerSettings, StringComparer.OrdinalIgnoreCase);
        foreach (var setting in local.GetSection("Scheduler").GetChildren().Where(c => c.Value is not null))
        {
            scheduler[setting.Key] = setting.Value!;
        }
        var traceStart = local["TraceStart"] is { Length: > 0 } start ? start : DefaultTraceStart;
        if (!DateTimeOffset.TryParse(traceStart, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out _))
        {
            throw new AppHostConfigurationException("Local:TraceStart", $"'{traceStart}' is not a date and time (e.g. {DefaultTraceStart}).");
        }
        return new LocalLoopSettings(regions, speedUp, files, demo, traceStart, scheduler);
    }
}
