using GreenTrain.Scheduler.Experiments;
using GreenTrain.Scheduler.Forecasting;
using GreenTrain.Scheduler.Jobs;
using GreenTrain.ServiceDefaults.Contracts;
using Microsoft.Extensions.Options;
using Quartz;

namespace GreenTrain.Scheduler.Demo;

/// <summary>
/// Submits the demo experiment (Data/demo/digits-demo.json, id "demo-digits") once the Scheduler runs, so the
/// first `dotnet run --project AppHost` shows a whole run: planned into clean windows, paused, resumed, finished.
/// Idempotent: the record is added only if absent, so restarts neither duplicate nor reset it.
/// </summary>
public sealed partial class DemoSubmitter(
    IOptions<DemoOptions> options, CarbonOptions carbon, ExperimentStore experiments, ISchedulerFactory quartz, TimeProvider time,
    ILogger<DemoSubmitter> logger) : BackgroundService
{
    public const string ExperimentId = "demo-digits";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        if (!settings.Enabled)
        {
            return;
        }
        var record = CreateRecord(settings, carbon, time.GetUtcNow());
        var deadline = record.Spec.Carbon.Deadline!.Value;
        var regions = record.Spec.Carbon.AllowedRegions;
        // The store may still be coming up with the service: retry until it answers or the service stops.
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (await experiments.TryAddAsync(record))
                {
                    LogSubmitted(logger, ExperimentId, string.Join(", ", regions), deadline);
                    await (await quartz.GetScheduler(stoppingToken)).TriggerJob(ReplanJob.Key, stoppingToken);
                }
                else
                {
                    LogAlreadyThere(logger, ExperimentId);
                }
                return;
            }
            catch (StackExchange.Redis.RedisException ex)
            {
                LogStoreNotReady(logger, ex.Message);
                await Task.Delay(TimeSpan.FromSeconds(2), stoppingToken);
            }
        }
    }

    /// <summary>The demo experiment as submitted at <paramref name="now"/>: the embedded spec, allowed in every planned region, due in the configured grid hours.</summary>
    public static ExperimentRecord CreateRecord(DemoOptions settings, CarbonOptions carbon, DateTimeOffset now)
    {
        var spec = LoadSpec();
        var deadline = now + carbon.WallTime(TimeSpan.FromHours(settings.DeadlineGridHours));
        return new ExperimentRecord
        {
            Id = ExperimentId,
            Spec = spec with { Carbon = spec.Carbon with { Deadline = deadline, AllowedRegions = carbon.PlannedRegions.ToList() } },
            SubmittedAt = now,
            UpdatedAt = now,
            EstimatedHours = settings.EstimatedSeconds / 3600,
            EstimatedKWh = settings.EstimatedKWh,
        };
    }

    private static ExperimentSpec LoadSpec()
    {
        using var stream = typeof(DemoSubmitter).Assembly.GetManifestResourceStream("GreenTrain.Scheduler.Data.demo.digits-demo.json")
            ?? throw new InvalidOperationException("The demo spec is not embedded in the Scheduler.");
        using var reader = new StreamReader(stream);
        var parsed = ExperimentSpecJson.Parse(reader.ReadToEnd());
        return parsed.Spec ?? throw new InvalidOperationException("The embedded demo spec is not valid: " + string.Join("; ", parsed.Errors));
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Demo experiment {ExperimentId} submitted: may run in {Regions}, due {Deadline:HH:mm:ss} (turn off with --Demo:Enabled=false)")]
    private static partial void LogSubmitted(ILogger logger, string experimentId, string regions, DateTimeOffset deadline);

    [LoggerMessage(Level = LogLevel.Information, Message = "Demo experiment {ExperimentId} is already in the store; not submitted again")]
    private static partial void LogAlreadyThere(ILogger logger, string experimentId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Demo experiment waits for the store: {Problem}")]
    private static partial void LogStoreNotReady(ILogger logger, string problem);
}
