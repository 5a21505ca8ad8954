using GreenTrain.ServiceDefaults.Cli;
using GreenTrain.Telemetry.Cli;

namespace GreenTrain.Telemetry.Tests.Cli;

/// <summary>Runs `report ARGS` through the Telemetry binary's own command line, with a service that must not start.</summary>
internal static class ReportCli
{
    public static int Run(string[] args, TextWriter output, TextWriter error) =>
        CliApp.Run(TelemetryCommandLine.Create(_ => throw new InvalidOperationException("report must not start the web service")), ["report", .. args], output, error);
}
