using GreenTrain.ServiceDefaults.Contracts;
using GreenTrain.ServiceDefaults.Store;
using GreenTrain.ServiceDefaults.Store.Experiments;
using GreenTrain.Telemetry.Accounting;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace GreenTrain.Telemetry.Reports;

/// <summary>
/// Tells the end of each run's story in Telemetry's log, with the figures only Telemetry has: when a worker
/// reports an experiment completed, its report is built from the measured windows and the log says what it
/// emitted and how much less that is than the same work run at once. A progress message wakes it; the poll
/// catches a missed one. Runs that had completed before the service started are left to their reports.
/// </summary>
public sealed partial class FinishedRunLog(
    GreenTrainStore store, ExperimentReports reports, IOptions<AccountingOptions> options, ILogger<FinishedRunLog> logger) : BackgroundService
{
    private readonly HashSet<string> _told = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _wake = new(0, 1); // progress messages come every second or so per run: one pending wake is enough
    private bool _started;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await store.Connection.GetSubscriber().SubscribeAsync(RedisChannel.Literal(StoreKeys.ProgressUpdatesChannel), (_, _) => Wake());
        var period = TimeSpan.FromSeconds(options.Value.PollSeconds);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await TellFinishedAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is RedisException or TimeoutException or IOException or FormatException)
            {
                LogLookFailed(logger, ex);
            }
            try
            {
                await _wake.WaitAsync(period, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private void Wake()
    {
        try
        {
            _wake.Release();
        }
        catch (SemaphoreFullException)
        {
            // A wake is already pending.
        }
    }

    /// <summary>One look at the newest runs; returns the ids of those whose finish it logged now.</summary>
    public async Task<IReadOnlyList<string>> TellFinishedAsync(CancellationToken cancellationToken = default)
    {
        var told = new List<string>();
        foreach (var progress in await new ExperimentStore(store).ListProgressAsync())
        {
            if (progress.State != ExperimentRunState.Completed || !_told.Add(progress.ExperimentId) || !_started)
            {
                continue;
            }
            if (await reports.BuildAsync(progress.ExperimentId, cancellationToken) is not { } built)
            {
                LogFinishedUnmeasured(logger, progress.ExperimentId);
                continue;
            }
            var report = built.Report;
            if (report.RunAtOnce is { SavedPercent: < 0 } worse)
            {
                LogFinishedWorse(logger, report.ExperimentId, report.EmissionsGrams, -worse.SavedPercent, worse.EmissionsGrams, report.EnergyKwh * 1000);
            }
            else if (report.RunAtOnce is { } atOnce)
            {
                LogFinished(logger, report.ExperimentId, report.EmissionsGrams, atOnce.SavedPercent, atOnce.EmissionsGrams, report.EnergyKwh * 1000,
                    report.Intensity.MeanGramsPerKwh);
            }
            else
            {
                LogFinishedNoComparison(logger, report.ExperimentId, report.EmissionsGrams, report.EnergyKwh * 1000);
            }
            told.Add(progress.ExperimentId);
        }
        _started = true;
        return told;
    }

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Experiment {ExperimentId} finished: {Grams:0.###} g CO2eq, {SavedPercent:0.#}% less than running at once ({RunAtOnceGrams:0.###} g); measured {Wh:0.##} Wh at {Intensity:0} g/kWh on average")]
    private static partial void LogFinished(ILogger logger, string experimentId, double grams, double savedPercent, double runAtOnceGrams, double wh, double intensity);

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Experiment {ExperimentId} finished: {Grams:0.###} g CO2eq, {MorePercent:0.#}% more than running at once ({RunAtOnceGrams:0.###} g); measured {Wh:0.##} Wh")]
    private static partial void LogFinishedWorse(ILogger logger, string experimentId, double grams, double morePercent, double runAtOnceGrams, double wh);

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Experiment {ExperimentId} finished: {Grams:0.###} g CO2eq ({Wh:0.##} Wh); no intensity series to compare with running at once")]
    private static partial void LogFinishedNoComparison(ILogger logger, string experimentId, double grams, double wh);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Experiment {ExperimentId} finished but its trainer recorded no energy windows: no report")]
    private static partial void LogFinishedUnmeasured(ILogger logger, string experimentId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Looking for finished runs in the store failed; retrying at the next poll")]
    private static partial void LogLookFailed(ILogger logger, Exception exception);
}
