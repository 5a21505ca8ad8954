using GreenTrain.ServiceDefaults.Contracts;

namespace GreenTrain.ServiceDefaults.Store.CommandQueue;

/// <summary>
/// A command a worker has taken from a region's queue. Only the holder of <see cref="Token"/> may renew,
/// acknowledge or release it; once its lease expires the reaper puts the command back on the queue.
/// </summary>
/// <param name="Payload">The exact queued string, the command's identity inside the queue.</param>
/// <param name="ExpiresAt">When the lease runs out by the store's clock, as of the last take or renewal.</param>
/// <param name="Deliveries">How many times this command has been taken, this take included.</param>
public sealed record QueueLease(
    string Region,
    TrainerCommand Command,
    string Payload,
    string Token,
    DateTimeOffset ExpiresAt,
    long Deliveries);
