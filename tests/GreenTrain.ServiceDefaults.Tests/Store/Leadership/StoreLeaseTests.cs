using GreenTrain.ServiceDefaults.Store;
using GreenTrain.ServiceDefaults.Store.CommandQueue;
using GreenTrain.ServiceDefaults.Store.Leadership;
using GreenTrain.ServiceDefaults.Tests.Store.CommandQueue;
using GreenTrain.Testing.Store;

namespace GreenTrain.ServiceDefaults.Tests.Store.Leadership;

/// <summary>
/// The leader lease the Scheduler replicas share, on a real redis-server and on the embedded Garnet: one holder at a
/// time, renewed while it lives, lost when it lapses, and a lapsed holder's fenced writes refused by the store.
/// </summary>
public sealed class StoreLeaseTests(SharedStoreServers servers) : IClassFixture<SharedStoreServers>
{
    private static readonly TimeSpan Long = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan Short = TimeSpan.FromMilliseconds(300);
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    public static TheoryData<string> Kinds => StoreServers.Kinds;

    private StoreLease NewLease(string kind)
    {
        var key = StoreKeys.Prefix + SharedStoreServers.UniqueId("lease");
        return new StoreLease(new GreenTrainStore(servers.Connection(kind)), key, key + ":fence");
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task Only_one_holder_at_a_time_and_the_holder_renews(string kind)
    {
        var lease = NewLease(kind);

        var a = await lease.TryAcquireAsync("replica-a", Long);
        var b = await lease.TryAcquireAsync("replica-b", Long);
        var renewed = await lease.RenewAsync(a!, Long);
        var bAgain = await lease.TryAcquireAsync("replica-b", Long);

        a.Should().NotBeNull();
        a!.Owner.Should().Be("replica-a");
        b.Should().BeNull("replica-a holds the lease");
        renewed.Should().BeTrue();
        bAgain.Should().BeNull("a renewed lease is still held");
        (await lease.ReadAsync()).Should().Be(a);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task A_lapsed_lease_goes_to_the_next_contender_with_a_larger_fence(string kind)
    {
        var lease = NewLease(kind);
        var a = (await lease.TryAcquireAsync("replica-a", Short))!;

        var lapsed = await WaitForAsync(async () => await lease.ReadAsync() is null);
        var b = await lease.TryAcquireAsync("replica-b", Long);
        var staleRenew = await lease.RenewAsync(a, Long);
        var staleRelease = await lease.ReleaseAsync(a);

        lapsed.Should().BeLessThan(Patience, "the store drops an unrenewed lease after its time to live");
        lapsed.Should().BeGreaterThanOrEqualTo(Short - TimeSpan.FromMilliseconds(50), "the lease lives its time to live");
        b.Should().NotBeNull();
        b!.Fence.Should().BeGreaterThan(a.Fence, "each term gets a larger fencing number");
        staleRenew.Should().BeFalse("a lapsed term cannot renew the next holder's lease");
        staleRelease.Should().BeFalse("a lapsed term cannot release the next holder's lease");
        (await lease.ReadAsync()).Should().Be(b);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task The_same_owner_taking_the_lease_again_gets_a_new_term(string kind)
    {
        var lease = NewLease(kind);
        var first = (await lease.TryAcquireAsync("replica-a", Long))!;
        (await lease.ReleaseAsync(first)).Should().BeTrue();

        var second = (await lease.TryAcquireAsync("replica-a", Long))!;

        second.Should().NotBe(first, "a paused process that resumes with its old term must not pass for the new one");
        (await lease.RenewAsync(first, Long)).Should().BeFalse();
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task A_lapsed_leaders_command_is_refused_and_the_new_leaders_is_queued(string kind)
    {
        var lease = NewLease(kind);
        var queue = new QueueTestContext(servers.Connection(kind));
        var stale = (await lease.TryAcquireAsync("replica-a", Short))!;
        await WaitForAsync(async () => await lease.ReadAsync() is null);
        var current = (await lease.TryAcquireAsync("replica-b", Long))!;
        var fromStale = QueueTestContext.NewCommand();
        var fromCurrent = QueueTestContext.NewCommand(experimentId: fromStale.ExperimentId);

        var staleResult = await queue.Producer.EnqueueAsync(queue.Region, fromStale, stale);
        var currentResult = await queue.Producer.EnqueueAsync(queue.Region, fromCurrent, current);
        var retried = await queue.Producer.EnqueueAsync(queue.Region, fromCurrent, current);

        staleResult.Should().Be(EnqueueResult.NotLeader);
        currentResult.Should().Be(EnqueueResult.Queued);
        retried.Should().Be(EnqueueResult.AlreadyQueued);
        var pending = await queue.Store.Database.ListRangeAsync(StoreKeys.QueuePending(queue.Region));
        pending.Select(p => CommandPayload.TryDeserialize(p!)?.CommandId).Should().Equal(fromCurrent.CommandId);
    }

    /// <summary>Polls the store until the condition holds; returns how long it took (fails past the patience).</summary>
    private static async Task<TimeSpan> WaitForAsync(Func<Task<bool>> condition)
    {
        var started = System.Diagnostics.Stopwatch.StartNew();
        while (!await condition())
        {
            if (started.Elapsed > Patience)
            {
                throw new TimeoutException($"not true within {Patience}");
            }
            await Task.Delay(10);
        }
        return started.Elapsed;
    }
}
