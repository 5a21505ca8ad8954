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
    /// Where replay starts in the 2020 traces: early on 5 October 2020 the cleanest three hours of the next twelve
    /// (the cleaner of DE and FR each quarter hour) are the first hour and a quarter and the last two, so the
    /// demo visibly runs, pauses through dirtier hours and resumes (found by scanning the traces; ~30% saved).
    /// </summary>
    public const string DefaultTraceStart = "2020-10-05T02:00:00Z";

    /// <summary>A trace day in twelve minutes: a planning cell (15 grid minutes) is 7.5 s, a demo run spans several cells.</summary>
    public const double DefaultSpeedUp = 120;

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
        var scheduler = local.GetSection("Scheduler").GetChildren().Where(c => c.Value is not null).ToDictionary(c => c.Key, c => c.Value!);
        var traceStart = local["TraceStart"] is { Length: > 0 } start ? start : DefaultTraceStart;
        if (!DateTimeOffset.TryParse(traceStart, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out _))
        {
            throw new AppHostConfigurationException("Local:TraceStart", $"'{traceStart}' is not a date and time (e.g. {DefaultTraceStart}).");
        }
        return new LocalLoopSettings(regions, speedUp, files, demo, traceStart, scheduler);
    }
}
