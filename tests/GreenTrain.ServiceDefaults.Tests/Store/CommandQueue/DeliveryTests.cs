using GreenTrain.ServiceDefaults.Contracts;
using GreenTrain.ServiceDefaults.Store;
using GreenTrain.ServiceDefaults.Store.CommandQueue;
using GreenTrain.Testing.Store;

namespace GreenTrain.ServiceDefaults.Tests.Store.CommandQueue;

/// <summary>Delivery: each command is applied once, in its order, even when it is sent or delivered twice.</summary>
public sealed class DeliveryTests(SharedStoreServers servers) : IClassFixture<SharedStoreServers>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    public static TheoryData<string> Kinds => StoreServers.Kinds;

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task Command_sent_twice_is_applied_once(string kind)
    {
        var queue = new QueueTestContext(servers.Connection(kind));
        var command = QueueTestContext.NewCommand();
        var applied = new List<TrainerCommand>();

        var first = await queue.Producer.EnqueueAsync(queue.Region, command);
        var whileQueued = await queue.Producer.EnqueueAsync(queue.Region, command);
        var outcome = await queue.Processor.HandleNextAsync(queue.Region, (c, _) => { applied.Add(c); return Task.CompletedTask; }, CancellationToken.None)
            .WaitAsync(Patience);
        var afterApplied = await queue.Producer.EnqueueAsync(queue.Region, command);

        first.Should().Be(EnqueueResult.Queued);
        whileQueued.Should().Be(EnqueueResult.AlreadyQueued);
        afterApplied.Should().Be(EnqueueResult.AlreadyApplied);
        outcome.Result.Should().Be(CommandResult.Applied);
        applied.Should().Equal(command);
        (await queue.CountsAsync()).Should().Be(new QueueCounts(0, 0, 0));
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task Worker_that_finishes_after_its_lease_expired_removes_the_requeued_copy(string kind)
    {
        var queue = new QueueTestContext(servers.Connection(kind));
        var command = QueueTestContext.NewCommand();
        await queue.Producer.EnqueueAsync(queue.Region, command);
        var slow = (await queue.Consumer.TryTakeAsync(queue.Region))!;
        await queue.WaitForStoreTimePastAsync(slow.ExpiresAt);
        var reaped = await queue.Reaper.ReapAsync(queue.Region);

        var acknowledged = await queue.Consumer.AcknowledgeAsync(slow);

        reaped.Requeued.Should().Be(1);
        acknowledged.Should().BeFalse("the lease had expired");
        (await queue.Consumer.TryTakeAsync(queue.Region)).Should().BeNull("the applied command must not run again");
        (await queue.Applied.GetDispositionAsync(command)).Should().Be(CommandDisposition.Duplicate);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task Copy_of_an_applied_command_taken_again_is_skipped_without_running_the_handler(string kind)
    {
        var queue = new QueueTestContext(servers.Connection(kind));
        var command = QueueTestContext.NewCommand();
        await queue.Producer.EnqueueAsync(queue.Region, command);
        // Worker A is slow; its lease expires and worker B takes the copy, then dies without acknowledging it.
        var workerA = (await queue.Consumer.TryTakeAsync(queue.Region))!;
        await queue.WaitForStoreTimePastAsync(workerA.ExpiresAt);
        await queue.Reaper.ReapAsync(queue.Region);
        var workerB = (await queue.Consumer.TryTakeAsync(queue.Region))!;
        await queue.Consumer.AcknowledgeAsync(workerA); // A did apply it, late
        await queue.WaitForStoreTimePastAsync(workerB.ExpiresAt);
        var handlerRuns = 0;

        var outcome = await queue.Processor.HandleNextAsync(queue.Region, (_, _) => { handlerRuns++; return Task.CompletedTask; }, CancellationToken.None)
            .WaitAsync(Patience);

        outcome.Result.Should().Be(CommandResult.SkippedDuplicate);
        outcome.Deliveries.Should().Be(3);
        handlerRuns.Should().Be(0);
        (await queue.CountsAsync()).Should().Be(new QueueCounts(0, 0, 0));
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task Command_issued_before_one_already_applied_to_its_experiment_is_skipped(string kind)
    {
        var queue = new QueueTestContext(servers.Connection(kind));
        var issued = DateTimeOffset.UtcNow;
        var pause = QueueTestContext.NewCommand(TrainerCommandKind.Pause, issuedAt: issued);
        var resume = QueueTestContext.NewCommand(TrainerCommandKind.Resume, pause.ExperimentId, issued.AddSeconds(5));
        var handled = new List<TrainerCommandKind>();
        Task Handle(TrainerCommand c, CancellationToken _) { handled.Add(c.Kind); return Task.CompletedTask; }

        await queue.Producer.EnqueueAsync(queue.Region, resume);
        var first = await queue.Processor.HandleNextAsync(queue.Region, Handle, CancellationToken.None).WaitAsync(Patience);
        await queue.Producer.EnqueueAsync(queue.Region, pause);
        var second = await queue.Processor.HandleNextAsync(queue.Region, Handle, CancellationToken.None).WaitAsync(Patience);

        first.Result.Should().Be(CommandResult.Applied);
        second.Result.Should().Be(CommandResult.SkippedSuperseded);
        handled.Should().Equal(TrainerCommandKind.Resume);
        (await queue.Applied.GetLastAppliedCommandIdAsync(pause.ExperimentId)).Should().Be(resume.CommandId);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task Waiting_worker_wakes_when_a_command_is_queued(string kind)
    {
        var queue = new QueueTestContext(servers.Connection(kind), new()
        {
            LeaseDuration = TimeSpan.FromSeconds(30),
            HeartbeatInterval = TimeSpan.FromSeconds(5),
            PollInterval = TimeSpan.FromMinutes(5), // only the wake-up message can end the wait in time
        });
        using var giveUp = new CancellationTokenSource(Patience);
        var waiting = queue.Consumer.TakeAsync(queue.Region, giveUp.Token);
        var command = QueueTestContext.NewCommand();

        await queue.Producer.EnqueueAsync(queue.Region, command);
        var lease = await waiting;

        lease.Command.Should().Be(command);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task Worker_stopping_mid_command_gives_it_back_to_the_front_of_the_queue(string kind)
    {
        var queue = new QueueTestContext(servers.Connection(kind));
        var interrupted = QueueTestContext.NewCommand();
        var later = QueueTestContext.NewCommand();
        await queue.Producer.EnqueueAsync(queue.Region, interrupted);
        await queue.Producer.EnqueueAsync(queue.Region, later);
        using var shutdown = new CancellationTokenSource();
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        var handling = queue.Processor.HandleNextAsync(queue.Region, async (_, token) =>
        {
            started.SetResult();
            await Task.Delay(Timeout.Infinite, token);
        }, shutdown.Token);
        await started.Task.WaitAsync(Patience);
        await shutdown.CancelAsync();
        var stop = async () => await handling;

        await stop.Should().ThrowAsync<OperationCanceledException>();
        (await queue.CountsAsync()).Should().Be(new QueueCounts(Pending: 2, Processing: 0, Dead: 0));
        (await queue.Consumer.TryTakeAsync(queue.Region))!.Command.Should().Be(interrupted);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task Value_on_the_queue_that_is_not_a_command_goes_to_the_dead_list(string kind)
    {
        var queue = new QueueTestContext(servers.Connection(kind));
        await queue.Store.Database.ListLeftPushAsync(StoreKeys.QueuePending(queue.Region), "{not a command");
        var command = QueueTestContext.NewCommand();
        await queue.Producer.EnqueueAsync(queue.Region, command);

        var lease = await queue.Consumer.TryTakeAsync(queue.Region);

        lease!.Command.Should().Be(command);
        (await queue.CountsAsync()).Should().Be(new QueueCounts(Pending: 0, Processing: 1, Dead: 1));
    }
}
