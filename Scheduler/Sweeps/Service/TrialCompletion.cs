using GreenTrain.Scheduler.Experiments;
using GreenTrain.ServiceDefaults.Contracts;
using GreenTrain.ServiceDefaults.Store;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace GreenTrain.Scheduler.Sweeps.Service;

/// <summary>An experiment as a waiting trial sees it: the Scheduler's record and what its worker last reported.</summary>
public sealed record TrialState(ExperimentRecord Record, ExperimentProgress? Progress)
{
    /// <summary>Ended: its worker reported an end, or the Scheduler's record did (a cancel before any worker took it).</summary>
    public bool IsFinished => Progress?.State is ExperimentRunState.Completed or ExperimentRunState.Failed or ExperimentRunState.Cancelled || Record.IsFinished;

    /// <summary>Its worker stopped at the segment limit the record holds now (a rung's end): the trial waits there for a promotion.</summary>
    public bool IsSegmentDone => Record.Segment is { } limit && Progress is { State: ExperimentRunState.Paused } && Progress.StoppedAt == limit;

    /// <summary>The state to show: an end either side reported, else the worker's state once it has one, else the Scheduler's.</summary>
    public string Describe() =>
        (Progress?.State is ExperimentRunState.Completed or ExperimentRunState.Failed or ExperimentRunState.Cancelled ? Progress.State.ToString()
        : Record.IsFinished || Progress is null || Progress.State == ExperimentRunState.Queued ? Record.State.ToString()
        : Progress.State.ToString()).ToLowerInvariant();
}

/// <summary>
/// Waits for a trial's experiment to end, or to stop at its segment limit, by reading its records: again whenever its worker publishes progress
/// (greentrain:progress-updates, which only wakes) and every Sweeps:PollSeconds in case a message was lost.
/// </summary>
public sealed class TrialCompletion(GreenTrainStore store, ExperimentStore experiments, RunChannel runs, IOptions<SweepOptions> options, TimeProvider time)
{
    /// <param name="seen">Called with each state read that differs from the last (the sweep record shows it).</param>
    /// <param name="stop">Asked at each wake whether to give up (the sweep was cancelled on another replica): then OperationCanceledException.</param>
    public async Task<TrialState> WaitAsync(string experimentId, Func<TrialState, Task> seen, Func<Task<bool>> stop, CancellationToken cancellationToken)
    {
        using var wake = new SemaphoreSlim(0);
        var subscriber = store.Connection.GetSubscriber();
        var channel = RedisChannel.Literal(StoreKeys.ProgressUpdatesChannel);
        void OnMessage(RedisChannel _, RedisValue id)
        {
            if (id == experimentId) wake.Release();
        }
        // Subscribed before the first read: progress written between the two still wakes this loop.
        await subscriber.SubscribeAsync(channel, OnMessage);
        try
        {
            string? last = null;
            while (true)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var record = await experiments.GetAsync(experimentId)
                    ?? throw new InvalidOperationException($"experiment {experimentId} is no longer in {StoreKeys.Experiments}");
                var state = new TrialState(record, await runs.ReadProgressAsync(experimentId));
                if (state.Describe() != last)
                {
                    last = state.Describe();
                    await seen(state);
                }
                if (state.IsFinished || state.IsSegmentDone) return state;
                if (await stop()) throw new OperationCanceledException($"the sweep of experiment {experimentId} was cancelled");

                using var either = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                await Task.WhenAny(wake.WaitAsync(either.Token), Task.Delay(TimeSpan.FromSeconds(options.Value.PollSeconds), time, either.Token));
                await either.CancelAsync();
            }
        }
        finally
        {
            await subscriber.UnsubscribeAsync(channel, OnMessage);
        }
    }
}
