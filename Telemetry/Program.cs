using GreenTrain.Telemetry.Apis;
using GreenTrain.Telemetry.Cli;
using GreenTrain.Telemetry.Extensions;

// Offline: `report` makes the report files from a standalone run's folder, with no store or web server.
if (args is ["report", ..])
{
    return ReportCommand.Run(args[1..], Console.Out, Console.Error);
}

var builder = WebApplication.CreateBuilder(args);
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
app.Run();
return 0;
