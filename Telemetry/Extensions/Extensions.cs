using GreenTrain.Telemetry.Accounting;
using GreenTrain.Telemetry.Intensity;
using GreenTrain.Telemetry.Metrics;
using GreenTrain.Telemetry.Reports;
using GreenTrain.Telemetry.Ui;
using Microsoft.Extensions.Options;

namespace GreenTrain.Telemetry.Extensions;

internal static class Extensions
{
    /// <summary>The Telemetry's own registrations; the shared ones come from AddServiceDefaults.</summary>
    public static void AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<AccountingOptions>()
            .Bind(builder.Configuration.GetSection(AccountingOptions.SectionName))
            .ValidateDataAnnotations()
            .Validate(o => o.Traces.Values.All(File.Exists), "Accounting:Traces names a trace file that does not exist.")
            .Validate(o => TimeZoneInfo.TryFindSystemTimeZoneById(o.TraceTimeZone, out _), "Accounting:TraceTimeZone is not a known time zone id.")
            .Validate(o => string.IsNullOrEmpty(o.CloudProvider) || PueDefaults.KnownClouds.Contains(o.CloudProvider, StringComparer.OrdinalIgnoreCase),
                $"Accounting:CloudProvider must be one of {string.Join(", ", PueDefaults.KnownClouds)}.")
            .ValidateOnStart();

        // A configured trace for the region first, then the Scheduler's forecast cache in the store.
        builder.Services.AddSingleton<IIntensitySource>(sp =>
        {
            var options = sp.GetRequiredService<IOptions<AccountingOptions>>().Value;
            return new FirstIntensitySource(
                new TraceIntensitySource(options.Traces, GreenTrain.ServiceDefaults.Carbon.Traces.TracePolicy.ForZone(options.TraceTimeZone)),
                new StoreForecastIntensitySource(sp.GetRequiredService<GreenTrain.ServiceDefaults.Store.GreenTrainStore>()));
        });
        builder.Services.AddSingleton<ExperimentReports>();
        builder.Services.AddSingleton<PredictionPublisher>();
        builder.Services.AddSingleton<EnergyMetrics>();
        builder.Services.AddSingleton<EnergyWindowExporter>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<EnergyWindowExporter>());
        builder.Services.AddSingleton<FinishedRunLog>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<FinishedRunLog>());

        // The web UI (wwwroot) and the JSON it reads (Apis/ExperimentsApi, CompareApi, RegionsApi).
        builder.Services.AddSingleton<ExperimentDirectory>();
        builder.Services.AddSingleton<ExperimentRows>();
        builder.Services.AddSingleton<ExperimentDetails>();
        builder.Services.AddSingleton<RegionIntensity>();
        builder.Services.ConfigureHttpJsonOptions(o =>
            o.SerializerOptions.Converters.Add(new System.Text.Json.Serialization.JsonStringEnumConverter(System.Text.Json.JsonNamingPolicy.CamelCase)));
    }
}
