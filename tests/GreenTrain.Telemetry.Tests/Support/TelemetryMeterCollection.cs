namespace GreenTrain.Telemetry.Tests.Support;

/// <summary>
/// The tests that make the GreenTrain.Telemetry meter record. OpenTelemetry's MeterProvider subscribes to a meter by
/// its name, process-wide, so a service composed in one test also exports what another test's meter of that name
/// records meanwhile; the tests in this collection run one at a time. A test added elsewhere that records on that
/// meter belongs here.
/// </summary>
[CollectionDefinition(Name)]
public sealed class TelemetryMeterCollection
{
    public const string Name = "GreenTrain.Telemetry meter";
}
