using GreenTrain.Scheduler.Planning;
using GreenTrain.ServiceDefaults.Contracts;
using Microsoft.Extensions.Logging;

namespace GreenTrain.Scheduler.Experiments;

/// <summary>
/// The dispatcher's log, which tells each experiment's story in plain words (planned is told by the planner,
/// finished by Telemetry): started, paused because intensity rose to X g/kWh, resumed, moved. Intensities come
/// from the current forecasts, the same ones the plan was made from.
/// </summary>
public sealed partial class DispatchService
{
    /// <summary>Why a running experiment is paused now: the user held it, the grid turned dirtier, or its window simply ended.</summary>
    private void TellPause(ExperimentRecord record, string region, JobPlan plan, DateTimeOffset now)
    {
        var percent = record.Progress * 100;
        if (record.HeldByUser)
        {
            LogPausedByUser(logger, record.Id, region, percent);
            return;
        }
        var next = plan.Intervals.FirstOrDefault(i => i.Start > now);
        var resumes = next is null ? "when it is planned again" : $"in {next.Region} at {next.Start:HH:mm:ss}";
        // The intensity through the pause (until the plan resumes it, else over the next planning cell) against the last
        // cell it ran in. (A replan may have just moved the plan on, so the plan itself need not hold the interval it ran in.)
        var cell = carbon.WallTime(TimeSpan.FromMinutes(options.Value.StepMinutes));
        var ahead = MeanIntensity(region, now, next?.Start ?? now + cell);
        var before = MeanIntensity(region, now - cell, now);
        if (ahead is { } rose && before is { } was && rose > was)
        {
            LogPausedDirtier(logger, record.Id, region, percent, rose, was, resumes);
        }
        else
        {
            LogPausedWindowEnded(logger, record.Id, region, percent, ahead ?? -1, resumes);
        }
    }

    /// <summary>The region's intensity now as the current forecast has it, or -1 when unknown.</summary>
    private double IntensityAt(string region, DateTimeOffset now) =>
        forecasts.Current.TryGetValue(region, out var forecast) && forecast.Series.At(now) is { } grams ? grams : -1;

    /// <summary>The region's mean forecast intensity over [from, to), or null when the forecast does not cover it.</summary>
    private double? MeanIntensity(string region, DateTimeOffset from, DateTimeOffset to)
    {
        if (to <= from || !forecasts.Current.TryGetValue(region, out var forecast))
        {
            return null;
        }
        var mean = forecast.Series.ToGrid(from, to - from, 1)[0];
        return double.IsNaN(mean) ? null : mean;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Experiment {ExperimentId} started in {Region}: its planned clean window opened ({Intensity:0} g/kWh)")]
    private static partial void LogStarted(ILogger logger, string experimentId, string region, double intensity);

    [LoggerMessage(Level = LogLevel.Information, Message = "Experiment {ExperimentId} paused in {Region} at {Percent:0}% because intensity rose to {Intensity:0} g/kWh (from {Before:0} g/kWh); it resumes {Resumes}")]
    private static partial void LogPausedDirtier(ILogger logger, string experimentId, string region, double percent, double intensity, double before, string resumes);

    [LoggerMessage(Level = LogLevel.Information, Message = "Experiment {ExperimentId} paused in {Region} at {Percent:0}%: its planned window ended (intensity now {Intensity:0} g/kWh); it resumes {Resumes}")]
    private static partial void LogPausedWindowEnded(ILogger logger, string experimentId, string region, double percent, double intensity, string resumes);

    [LoggerMessage(Level = LogLevel.Information, Message = "Experiment {ExperimentId} paused in {Region} at {Percent:0}% on request; it stays paused until resumed")]
    private static partial void LogPausedByUser(ILogger logger, string experimentId, string region, double percent);

    [LoggerMessage(Level = LogLevel.Information, Message = "Experiment {ExperimentId} resumed in {Region} from its checkpoint at {Percent:0}%: intensity is down to {Intensity:0} g/kWh")]
    private static partial void LogResumed(ILogger logger, string experimentId, string region, double percent, double intensity);

    [LoggerMessage(Level = LogLevel.Information, Message = "Experiment {ExperimentId} moves from {From} ({FromIntensity:0} g/kWh) to {To} ({ToIntensity:0} g/kWh): pausing it in {From} first")]
    private static partial void LogMoving(ILogger logger, string experimentId, string from, double fromIntensity, string to, double toIntensity);

    [LoggerMessage(Level = LogLevel.Information, Message = "Experiment {ExperimentId} outlasted its plan in {Region} at {Percent:0}% (its work took longer than estimated): it runs on while it is planned again")]
    private static partial void LogOutlasted(ILogger logger, string experimentId, string region, double percent);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Experiment {ExperimentId} in {Region}: no worker has trained it for {Seconds} s; queued its Resume again")]
    private static partial void LogStalled(ILogger logger, string experimentId, string region, int seconds);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Queued {Kind} for experiment {ExperimentId} in {Region}")]
    private static partial void LogCommand(ILogger logger, TrainerCommandKind kind, string experimentId, string region);
}
