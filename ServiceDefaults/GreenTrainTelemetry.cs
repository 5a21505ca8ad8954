namespace GreenTrain.ServiceDefaults;

/// <summary>Names of the meters and activity sources that the services publish, registered once here.</summary>
public static class GreenTrainTelemetry
{
    public const string TrainerMeter = "GreenTrain.Trainer";
    public const string SchedulerMeter = "GreenTrain.Scheduler";
    public const string TelemetryMeter = "GreenTrain.Telemetry";
    public const string StoreMeter = "GreenTrain.Store";

    public static readonly string[] MeterNames = [TrainerMeter, SchedulerMeter, TelemetryMeter, StoreMeter];
    public static readonly string[] ActivitySourceNames = [TrainerMeter, SchedulerMeter, TelemetryMeter, StoreMeter];
}
