using System.ComponentModel.DataAnnotations;

namespace GreenTrain.Scheduler.Leadership;

/// <summary>
/// How Scheduler replicas agree on one leader (section "Leadership"). Every replica serves the API; only the one
/// holding the lease in the store plans and dispatches. The leader renews every third of the lease, so a renewal
/// may fail twice before the lease lapses; a follower tries to take it as often, so it leads at most
/// <see cref="LeaseSeconds"/> plus a third of it after the leader died (at once after a clean stop, which gives it up).
/// </summary>
public sealed class LeadershipOptions
{
    public const string SectionName = "Leadership";

    /// <summary>
    /// Seconds the lease lives without renewal: how long a dead leader can hold planning up, and how long a stalled one
    /// (a pause, a partition) keeps believing it leads before it steps down by itself (the store refuses it at once).
    /// </summary>
    [Range(2, 120)]
    public double LeaseSeconds { get; set; } = 6;

    /// <summary>This replica's name in the lease, for operators; unset is machine, process id and a random suffix (unique per start).</summary>
    [RegularExpression("^[A-Za-z0-9._-]{1,100}$", ErrorMessage = "Leadership:ReplicaName may hold letters, digits, '.', '_' and '-' (at most 100).")]
    public string? ReplicaName { get; set; }

    public TimeSpan Lease => TimeSpan.FromSeconds(LeaseSeconds);

    /// <summary>How often the leader renews and a follower tries to take over.</summary>
    public TimeSpan CheckInterval => TimeSpan.FromSeconds(LeaseSeconds / 3);
}
