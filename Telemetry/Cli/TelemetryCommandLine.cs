using System.CommandLine;
using GreenTrain.ServiceDefaults.Cli;

namespace GreenTrain.Telemetry.Cli;

/// <summary>The Telemetry binary's verbs: `report` (offline, from a run folder); no verb is the web service.</summary>
public static class TelemetryCommandLine
{
    public static RootCommand Create(Func<string[], int> runService) => ServiceCommandLine.Create(
        "GreenTrain Telemetry: accounts energy and carbon and writes CodeCarbon, SCI and model-card reports.",
        [ReportCommand.Create()],
        runService);
}
