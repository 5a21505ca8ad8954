using System.Text.Json;
using GreenTrain.ServiceDefaults.Contracts;
using GreenTrain.ServiceDefaults.Store;
using GreenTrain.Telemetry.Accounting;
using GreenTrain.Telemetry.Intensity;
using GreenTrain.Telemetry.Reports;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace GreenTrain.Telemetry.Metrics;

/// <summary>
/// Turns windows that Trainers push to the store into metrics while runs go on. Reads each experiment's
/// list from where it last stopped; a pub/sub message wakes it early, the poll catches what a message missed.
/// Windows already in the store when the service starts are left to the reports, not replayed as metrics.
/// Each experiment with new windows also gets its prediction refreshed (<see cref="PredictionPublisher"/>).
/// </summary>
public sealed partial class EnergyWindowExporter(
    GreenTrainStore store, ExperimentReports reports, IIntensitySource intensity, EnergyMetrics metrics, PredictionPublisher predictions,
    IOptions<AccountingOptions> options, ILogger<EnergyWindowExporter> logger) : BackgroundService
{
    private readonly Dictionary<string, long> _cursors = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _wake = new(0);
    private bool _started;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await store.Connection.GetSubscriber().SubscribeAsync(RedisChannel.Literal(StoreKeys.EnergyUpdatesChannel), (_, _) => _wake.Release());
        var period = TimeSpan.FromSeconds(options.Value.PollSeconds);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await ExportNewWindowsAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is RedisException or TimeoutException or JsonException or IOException or FormatException)
            {
                LogExportFailed(logger, ex);
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

    /// <summary>One pass over every experiment with energy; returns how many windows became metrics.</summary>
    public async Task<int> ExportNewWindowsAsync(CancellationToken cancellationToken = default)
    {
        var db = store.Database;
        var exported = 0;
        foreach (var entry in await db.SortedSetRangeByRankAsync(StoreKeys.EnergyExperiments))
        {
            var id = entry.ToString();
            var length = await db.ListLengthAsync(StoreKeys.EnergyWindows(id));
            if (!_cursors.TryGetValue(id, out var cursor))
            {
                cursor = _started ? 0 : length;
            }
            if (length > cursor)
            {
                exported += await ExportAsync(id, cursor, cancellationToken);
                await predictions.PublishAsync(id, cancellationToken); // new windows refine what the Scheduler plans with
            }
            _cursors[id] = length;
        }
        _started = true;
        return exported;
    }

    private async Task<int> ExportAsync(string experimentId, long from, CancellationToken cancellationToken)
    {
        var db = store.Database;
        var values = await db.ListRangeAsync(StoreKeys.EnergyWindows(experimentId), from, -1);
        var windows = values.Select(v => JsonSerializer.Deserialize<EnergyWindow>(v.ToString(), EnergyFiles.JsonOptions)!).ToList();
        var runJson = await db.StringGetAsync(StoreKeys.EnergyRunInfo(experimentId));
        var run = runJson.HasValue ? JsonSerializer.Deserialize<EnergyRunInfo>(runJson.ToString(), EnergyFiles.JsonOptions) : null;
        var (accounting, _) = reports.Settings(run);
        var series = await intensity.GetSeriesAsync(accounting.Region, windows.Min(w => w.Start), windows.Max(w => w.End), cancellationToken);
        foreach (var window in windows)
        {
            metrics.Record(EmissionsAccountant.Price(window, window.Start, window.End, series, accounting), accounting.Region);
        }
        LogExported(logger, windows.Count, experimentId);
        return windows.Count;
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Exported {Count} energy windows of {ExperimentId} as metrics")]
    private static partial void LogExported(ILogger logger, int count, string experimentId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Reading energy windows from the store failed; retrying at the next poll")]
    private static partial void LogExportFailed(ILogger logger, Exception exception);
}
