using GreenTrain.ServiceDefaults.Contracts;
using GreenTrain.ServiceDefaults.Store;
using GreenTrain.Testing.Store;
using GreenTrain.ServiceDefaults.Store.CommandQueue;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace GreenTrain.ServiceDefaults.Tests.Store.CommandQueue;

/// <summary>The queue's parts wired as AddCommandQueue wires them, over a real store, for one region.</summary>
internal sealed class QueueTestContext
{
    public QueueTestContext(IConnectionMultiplexer connection, CommandQueueOptions? settings = null)
    {
        Store = new GreenTrainStore(connection);
        var options = Options.Create(settings ?? new CommandQueueOptions
        {
            LeaseDuration = TimeSpan.FromMilliseconds(800),
            HeartbeatInterval = TimeSpan.FromMilliseconds(100),
            PollInterval = TimeSpan.FromMilliseconds(200),
        });
        Reaper = new LeaseReaper(Store, options);
        Producer = new CommandProducer(Store);
        Consumer = new CommandConsumer(Store, Reaper, options, TimeProvider.System, NullLogger<CommandConsumer>.Instance);
        Applied = new AppliedCommands(Store);
        Processor = new CommandProcessor(Consumer, Applied, NullLogger<CommandProcessor>.Instance);
    }

    public string Region { get; } = SharedStoreServers.UniqueId("region");

    public GreenTrainStore Store { get; }
    public LeaseReaper Reaper { get; }
    public CommandProducer Producer { get; }
    public CommandConsumer Consumer { get; }
    public AppliedCommands Applied { get; }
    public CommandProcessor Processor { get; }

    public static TrainerCommand NewCommand(TrainerCommandKind kind = TrainerCommandKind.Start, string? experimentId = null,
        DateTimeOffset? issuedAt = null) =>
        new($"cmd-{Guid.NewGuid():N}", experimentId ?? SharedStoreServers.UniqueId("exp"), kind, issuedAt ?? DateTimeOffset.UtcNow);

    public Task<QueueCounts> CountsAsync() => Producer.GetCountsAsync(Region);

    /// <summary>
    /// Waits until the store's own clock has passed <paramref name="instant"/>: a lease expiry is the behaviour
    /// under test, so the test waits for exactly that moment, read from the clock the scripts use.
    /// </summary>
    public async Task WaitForStoreTimePastAsync(DateTimeOffset instant)
    {
        var deadline = DateTime.UtcNow + (instant - DateTimeOffset.UtcNow).Duration() + TimeSpan.FromSeconds(30);
        while (await StoreTime.NowAsync(Store.Database) <= instant)
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"The store clock did not pass {instant:O}.");
            }
            await Task.Delay(TimeSpan.FromMilliseconds(20));
        }
    }
}
