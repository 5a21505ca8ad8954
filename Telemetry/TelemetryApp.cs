using GreenTrain.Telemetry.Apis;
using GreenTrain.Telemetry.Extensions;

namespace GreenTrain.Telemetry;

/// <summary>The web service, built the same way by Program.cs and by the tests that start it on a loopback port.</summary>
public static class TelemetryApp
{
    public static WebApplication Build(WebApplicationOptions options, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(options);
        configure?.Invoke(builder);
        builder.AddServiceDefaults();
        builder.AddApplicationServices();
        var app = builder.Build();
        app.MapDefaultEndpoints();
        app.MapReportsApi();

        // The web UI: static pages under wwwroot (index.html is the experiments table) reading the JSON APIs below.
        app.UseDefaultFiles();
        app.UseStaticFiles();
        app.MapExperimentsApi();
        app.MapCompareApi();
        app.MapRegionsApi();
        return app;
    }
}
