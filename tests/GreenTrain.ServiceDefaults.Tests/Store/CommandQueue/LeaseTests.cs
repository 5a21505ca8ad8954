using GreenTrain.ServiceDefaults.Store.CommandQueue;
using GreenTrain.Testing.Store;

namespace GreenTrain.ServiceDefaults.Tests.Store.CommandQueue;

/// <summary>Leases: a taken command stays with its worker while it heartbeats, and comes back when it stops.</summary>
public sealed class LeaseTests(SharedStoreServers servers) : IClassFixture<SharedStoreServers>
{
    public static TheoryData<string> Kinds => StoreServers.Kinds;

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task Command_whose_lease_expires_is_requeued_and_taken_again(string kind)
    {
        var queue = new QueueTestContext(servers.Connection(kind));
        var command = QueueTestContext.NewCommand();
        await queue.Producer.EnqueueAsync(queue.Region, command);
        var first = (await queue.Consumer.TryTakeAsync(queue.Region))!;

        var whileLeased = await queue.Reaper.ReapAsync(queue.Region);
        var countsWhileLeased = await queue.CountsAsync();
        await queue.WaitForStoreTimePastAsync(first.ExpiresAt);
        var afterExpiry = await queue.Reaper.ReapAsync(queue.Region);
        var second = await queue.Consumer.TryTakeAsync(queue.Region);

        whileLeased.Requeued.Should().Be(0);
        countsWhileLeased.Should().Be(new QueueCounts(Pending: 0, Processing: 1, Dead: 0));
        afterExpiry.Requeued.Should().Be(1);
        second!.Command.Should().Be(command);
        second.Deliveries.Should().Be(2);
        (await queue.Consumer.RenewAsync(first)).Should().BeNull("the first worker's lease is gone");
        (await queue.Consumer.RenewAsync(second)).Should().NotBeNull();
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task Acknowledged_command_leaves_the_queue_for_good(string kind)
    {
        var queue = new QueueTestContext(servers.Connection(kind));
        await queue.Producer.EnqueueAsync(queue.Region, QueueTestContext.NewCommand());
        var lease = (await queue.Consumer.TryTakeAsync(queue.Region))!;

        var acknowledged = await queue.Consumer.AcknowledgeAsync(lease);
        await queue.WaitForStoreTimePastAsync(lease.ExpiresAt);
        var reaped = await queue.Reaper.ReapAsync(queue.Region);

        acknowledged.Should().BeTrue();
        reaped.Requeued.Should().Be(0);
        (await queue.CountsAsync()).Should().Be(new QueueCounts(0, 0, 0));
        (await queue.Consumer.TryTakeAsync(queue.Region)).Should().BeNull();
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task Heartbeat_keeps_the_lease_past_its_first_expiry_and_stopping_it_lets_the_lease_expire(string kind)
    {
        var queue = new QueueTestContext(servers.Connection(kind));
        await queue.Producer.EnqueueAsync(queue.Region, QueueTestContext.NewCommand());
        var lease = (await queue.Consumer.TryTakeAsync(queue.Region))!;

        var heartbeat = queue.Consumer.KeepAlive(lease);
        await queue.WaitForStoreTimePastAsync(lease.ExpiresAt + TimeSpan.FromMilliseconds(400));
        var reapedWhileBeating = await queue.Reaper.ReapAsync(queue.Region);
        var lostWhileBeating = heartbeat.LeaseLost.IsCancellationRequested;
        await heartbeat.DisposeAsync();
        await queue.WaitForStoreTimePastAsync(heartbeat.ExpiresAt);
        var reapedAfterStop = await queue.Reaper.ReapAsync(queue.Region);

        reapedWhileBeating.Requeued.Should().Be(0);
        lostWhileBeating.Should().BeFalse();
        heartbeat.Renewals.Should().BePositive();
        heartbeat.ExpiresAt.Should().BeAfter(lease.ExpiresAt);
        reapedAfterStop.Requeued.Should().Be(1);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task Heartbeat_reports_a_lease_lost_to_the_reaper(string kind)
    {
        var queue = new QueueTestContext(servers.Connection(kind), new()
        {
            LeaseDuration = TimeSpan.FromMilliseconds(300),
            HeartbeatInterval = TimeSpan.FromSeconds(10), // too slow on purpose: the lease runs out between beats
        });
        await queue.Producer.EnqueueAsync(queue.Region, QueueTestContext.NewCommand());
        var lease = (await queue.Consumer.TryTakeAsync(queue.Region))!;
        await queue.WaitForStoreTimePastAsync(lease.ExpiresAt);
        await queue.Reaper.ReapAsync(queue.Region);

        var renewed = await queue.Consumer.RenewAsync(lease);
        var released = await queue.Consumer.ReleaseAsync(lease);

        renewed.Should().BeNull();
        released.Should().BeFalse("a worker cannot give back what it no longer holds");
        (await queue.CountsAsync()).Should().Be(new QueueCounts(Pending: 1, Processing: 0, Dead: 0));
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task Command_whose_lease_keeps_expiring_goes_to_the_dead_list(string kind)
    {
        var queue = new QueueTestContext(servers.Connection(kind), new()
        {
            LeaseDuration = TimeSpan.FromMilliseconds(300),
            HeartbeatInterval = TimeSpan.FromMilliseconds(100),
            MaxDeliveries = 2,
        });
        await queue.Producer.EnqueueAsync(queue.Region, QueueTestContext.NewCommand());

        var reaps = new List<ReapResult>();
        for (var attempt = 0; attempt < 2; attempt++)
        {
            var lease = (await queue.Consumer.TryTakeAsync(queue.Region))!;
            await queue.WaitForStoreTimePastAsync(lease.ExpiresAt);
            reaps.Add(await queue.Reaper.ReapAsync(queue.Region));
        }

        reaps.Should().Equal(new ReapResult(Requeued: 1, Dead: 0), new ReapResult(Requeued: 0, Dead: 1));
        (await queue.CountsAsync()).Should().Be(new QueueCounts(Pending: 0, Processing: 0, Dead: 1));
    }
}
