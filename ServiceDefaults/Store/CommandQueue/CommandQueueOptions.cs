using System.ComponentModel.DataAnnotations;

namespace GreenTrain.ServiceDefaults.Store.CommandQueue;

/// <summary>How the per-region command queues hand out work; bound from the "CommandQueue" section.</summary>
public sealed class CommandQueueOptions : IValidatableObject
{
    public const string SectionName = "CommandQueue";

    /// <summary>How long a taken command stays with its worker without a heartbeat before it is requeued.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "01:00:00")]
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How often a worker renews the lease of the command it is handling; well under LeaseDuration.</summary>
    [Range(typeof(TimeSpan), "00:00:00.020", "00:30:00")]
    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How often an idle worker looks at its queue even without a wake-up message (pub/sub can miss one).</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:05:00")]
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>After this many takes whose lease expired, a command goes to the dead list instead of back to the queue.</summary>
    [Range(1, 1000)]
    public int MaxDeliveries { get; set; } = 5;

    /// <summary>How long the store remembers that a command was applied, so a copy seen later is recognised.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "365.00:00:00")]
    public TimeSpan AppliedRetention { get; set; } = TimeSpan.FromDays(7);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        // Two missed heartbeats in a row must still leave the lease alive, or a short store hiccup requeues live work.
        if (HeartbeatInterval * 2 >= LeaseDuration)
        {
            yield return new ValidationResult(
                $"{SectionName}:HeartbeatInterval ({HeartbeatInterval}) must be less than half of {SectionName}:LeaseDuration ({LeaseDuration}).",
                [nameof(HeartbeatInterval), nameof(LeaseDuration)]);
        }
    }
}
