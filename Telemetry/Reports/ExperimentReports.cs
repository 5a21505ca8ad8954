using System.Text.Json;
using GreenTrain.ServiceDefaults.Contracts;
using GreenTrain.ServiceDefaults.Store;
using GreenTrain.Telemetry.Accounting;
using GreenTrain.Telemetry.Intensity;
using Microsoft.Extensions.Options;

namespace GreenTrain.Telemetry.Reports;

/// <summary>A run's report made from the windows the Trainer pushed to the store, priced by the configured intensity source.</summary>
public sealed class ExperimentReports(GreenTrainStore store, IIntensitySource intensity, IOptions<AccountingOptions> options)
{
    /// <summary>The windows and run info of an experiment, oldest window first; no windows when the store has none.</summary>
    public async Task<(IReadOnlyList<EnergyWindow> Windows, EnergyRunInfo? Run)> LoadAsync(string experimentId)
    {
        var db = store.Database;
        var values = await db.ListRangeAsync(StoreKeys.EnergyWindows(experimentId));
        var windows = values.Select(v => JsonSerializer.Deserialize<EnergyWindow>(v.ToString(), EnergyFiles.JsonOptions)!).ToList();
        var runJson = await db.StringGetAsync(StoreKeys.EnergyRunInfo(experimentId));
        var run = runJson.HasValue ? JsonSerializer.Deserialize<EnergyRunInfo>(runJson.ToString(), EnergyFiles.JsonOptions) : null;
        return (windows, run);
    }

    /// <summary>The report, or null when the experiment has no energy windows yet.</summary>
    public async Task<(EmissionsReport Report, IReadOnlyList<EnergyWindow> Windows, ReportSettings Settings)?> BuildAsync(
        string experimentId, CancellationToken cancellationToken = default)
    {
        var (windows, run) = await LoadAsync(experimentId);
        if (windows.Count == 0)
        {
            return null;
        }
        var (accounting, settings) = Settings(run);
        var series = await intensity.GetSeriesAsync(accounting.Region, windows.Min(w => w.Start), windows.Max(w => w.End), cancellationToken);
        return (ReportBuilder.Build(windows, run, series, accounting, settings), windows, settings);
    }

    public (AccountingSettings Accounting, ReportSettings Report) Settings(EnergyRunInfo? run)
    {
        var o = options.Value;
        var (pue, pueSource) = PueDefaults.Resolve(o.Pue, o.CloudProvider);
        var region = run?.Region ?? o.DefaultRegion ?? "unknown";
        var accounting = new AccountingSettings(region, pue, o.AverageIntensity ?? AverageIntensity.WorldGramsPerKwh,
            o.AverageIntensity is null ? AverageIntensity.WorldSource : "configured Accounting:AverageIntensity");
        var report = new ReportSettings(pueSource, o.PricePerKwh, o.Currency, o.EmbodiedGramsPerGpuHour,
            o.CloudProvider ?? "", o.CloudRegion ?? "", o.PredictAfterShare, run?.TrainingType, o.EmbodiedLifetimeYears, o.DevicesReservedWhilePaused);
        return (accounting, report);
    }
}
