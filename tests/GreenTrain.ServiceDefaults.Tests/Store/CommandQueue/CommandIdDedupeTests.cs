using GreenTrain.ServiceDefaults.Contracts;
using GreenTrain.ServiceDefaults.Store;
using GreenTrain.ServiceDefaults.Store.CommandQueue;
using GreenTrain.Testing.Store;

namespace GreenTrain.ServiceDefaults.Tests.Store.CommandQueue;

/// <summary>
/// The queue knows a command by its id, not its payload: a Scheduler that re-decides its predecessor's step makes the
/// same id with a later issued-at (a different payload), and that must not be queued a second time.
/// </summary>
public sealed class CommandIdDedupeTests(SharedStoreServers servers) : IClassFixture<SharedStoreServers>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    public static TheoryData<string> Kinds => StoreServers.Kinds;

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task Same_id_issued_later_is_not_queued_while_waiting_taken_or_after_applied(string kind)
    {
        var queue = new QueueTestContext(servers.Connection(kind));
        var first = QueueTestContext.NewCommand(issuedAt: DateTimeOffset.UtcNow);
        TrainerCommand Again(int seconds) => first with { IssuedAt = first.IssuedAt.AddSeconds(seconds) };

        var queued = await queue.Producer.EnqueueAsync(queue.Region, first);
        var whileWaiting = await queue.Producer.EnqueueAsync(queue.Region, Again(5));
        var lease = (await queue.Consumer.TryTakeAsync(queue.Region))!;
        var whileTaken = await queue.Producer.EnqueueAsync(queue.Region, Again(10));
        await queue.Consumer.AcknowledgeAsync(lease);
        var afterApplied = await queue.Producer.EnqueueAsync(queue.Region, Again(15));

        queued.Should().Be(EnqueueResult.Queued);
        whileWaiting.Should().Be(EnqueueResult.AlreadyQueued);
        whileTaken.Should().Be(EnqueueResult.AlreadyQueued);
        afterApplied.Should().Be(EnqueueResult.AlreadyApplied);
        lease.Command.Should().Be(first);
        (await queue.CountsAsync()).Should().Be(new QueueCounts(0, 0, 0));
        (await queue.Store.Database.KeyExistsAsync(StoreKeys.CommandQueued(first.CommandId))).Should().BeFalse("acknowledge clears the marker");
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task Marker_of_a_queued_command_expires_and_is_cleared_when_the_command_is_dead_lettered(string kind)
    {
        var queue = new QueueTestContext(servers.Connection(kind), new CommandQueueOptions
        {
            LeaseDuration = TimeSpan.FromMilliseconds(300), HeartbeatInterval = TimeSpan.FromMilliseconds(100),
            PollInterval = TimeSpan.FromMilliseconds(100), MaxDeliveries = 1,
        });
        var command = QueueTestContext.NewCommand();
        await queue.Producer.EnqueueAsync(queue.Region, command);
        var marker = StoreKeys.CommandQueued(command.CommandId);
        var ttl = await queue.Store.Database.KeyTimeToLiveAsync(marker);

        var lease = (await queue.Consumer.TryTakeAsync(queue.Region))!;
        await queue.WaitForStoreTimePastAsync(lease.ExpiresAt).WaitAsync(Patience);
        var reaped = await queue.Reaper.ReapAsync(queue.Region);

        ttl.Should().NotBeNull("a marker nobody clears must not stay for ever");
        ttl!.Value.Should().BeGreaterThan(TimeSpan.FromDays(29));
        reaped.Should().Be(new ReapResult(0, 1));
        (await queue.Store.Database.KeyExistsAsync(marker)).Should().BeFalse("a buried command is no longer queued");
        (await queue.Producer.EnqueueAsync(queue.Region, command)).Should().Be(EnqueueResult.Queued, "an operator may send it again");
    }
}
