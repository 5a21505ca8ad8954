using GreenTrain.ServiceDefaults.Cli;
using GreenTrain.Telemetry.Apis;
using GreenTrain.Telemetry.Cli;
using GreenTrain.Telemetry.Extensions;

// Offline: `report` makes the report files from a standalone run's folder, with no store or web server.
// With no verb this is the Telemetry web service. `--help` lists the verbs.
return CliApp.Run(TelemetryCommandLine.Create(RunService), args);

static int RunService(string[] args)
{
    var builder = WebApplication.CreateBuilder(args);
    builder.AddServiceDefaults();
    builder.AddApplicationServices();

    var app = builder.Build();
    app.MapDefaultEndpoints();
    app.MapReportsApi();
    app.Run();
    return ExitCodes.Done;
}
