using GreenTrain.Telemetry;
using GreenTrain.Telemetry.Cli;

// Offline: `report` makes the report files from a standalone run's folder, with no store or web server.
if (args is ["report", ..])
{
    return ReportCommand.Run(args[1..], Console.Out, Console.Error);
}

TelemetryApp.Build(new WebApplicationOptions { Args = args }).Run();
return 0;
