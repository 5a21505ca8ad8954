using GreenTrain.ServiceDefaults.Cli;
using GreenTrain.Telemetry;
using GreenTrain.Telemetry.Cli;

// Offline: `report` makes the report files from a standalone run's folder, with no store or web server.
// With no verb this is the Telemetry web service (its APIs and the web UI, TelemetryApp). `--help` lists the verbs.
return CliApp.Run(TelemetryCommandLine.Create(RunService), args);

static int RunService(string[] args)
{
    TelemetryApp.Build(new WebApplicationOptions { Args = args }).Run();
    return ExitCodes.Done;
}
