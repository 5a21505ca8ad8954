using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;

namespace GreenTrain.Scheduler.Sweeps.Service;

/// <summary>
/// Runs the sweeps posted to /sweeps, one at a time on this replica: takes a queued sweep (the claim is a compare-and-set
/// on its record, so two replicas never run the same one), drives its algorithm with a <see cref="ScheduledTrialRunner"/>
/// on a thread of its own, and stores its report when it ends. Woken by a post here, and looks at the store every
/// Sweeps:PollSeconds for sweeps posted to other replicas.
/// </summary>
public sealed partial class SweepRunner(SweepStore sweeps, SweepSignal signal, SweepCancellations cancellations, TrialServices services,
    Leadership.SchedulerLeadership replica, IOptions<SweepOptions> options, ILogger<SweepRunner> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.Run) return;
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                foreach (var queued in (await sweeps.ListAsync()).Where(s => s.State == SweepState.Queued && !s.CancelRequested))
                {
                    if (await ClaimAsync(queued.Id) is { } claimed) await RunAsync(claimed, stoppingToken);
                }
                using var either = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
                await Task.WhenAny(signal.WaitAsync(either.Token), Task.Delay(TimeSpan.FromSeconds(options.Value.PollSeconds), services.Time, either.Token));
                await either.CancelAsync();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task<SweepRecord?> ClaimAsync(string id)
    {
        var after = await sweeps.UpdateAsync(id, r => r is { State: SweepState.Queued, CancelRequested: false }
            ? r with { State = SweepState.Running, Runner = replica.Replica, UpdatedAt = services.Time.GetUtcNow() } : null);
        return after is { State: SweepState.Running } && after.Runner == replica.Replica ? after : null;
    }

    private async Task RunAsync(SweepRecord sweep, CancellationToken stoppingToken)
    {
        var spec = SweepSpecJson.Parse(sweep.SpecJson, baseDirectory: null).Spec
            ?? throw new InvalidOperationException($"sweep {sweep.Id} was stored valid and no longer parses");
        var emissions = new EmissionFactors(options.Value.GramsPerKwh, 1.0,
            "constant (Sweeps:GramsPerKwh); each trial's emissions by region and hour are Telemetry's, per experiment");
        using var stop = cancellations.Register(sweep.Id, stoppingToken);
        var runner = new ScheduledTrialRunner(sweep.Id, spec, sweep.Deadline, services);
        LogStarted(logger, sweep.Id, spec.Name, spec.Algorithm.Kind.ToString(), sweep.Deadline);
        SweepState state;
        string reason;
        JsonNode? report = null;
        try
        {
            var outcome = await Task.Factory.StartNew(() => new SweepDriver(spec, runner, emissions, line => LogProgress(logger, sweep.Id, line)).Run(stop.Token),
                CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
            report = JsonNode.Parse(SweepReport.Build(outcome, emissions).ToJson());
            (state, reason) = outcome.StopReason == "cancelled" ? (SweepState.Cancelled, "cancelled") : (SweepState.Completed, outcome.StopReason);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Its trials' experiments go on under the Scheduler; the search itself cannot be picked up by another replica yet.
            (state, reason) = (SweepState.Failed, "the Scheduler replica running it stopped; its submitted trials go on as experiments; post the sweep again to search again");
        }
        catch (OperationCanceledException)
        {
            (state, reason) = (SweepState.Cancelled, "cancelled");
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            LogFailed(logger, sweep.Id, e);
            (state, reason) = (SweepState.Failed, $"{e.GetType().Name}: {e.Message}");
        }
        finally
        {
            cancellations.Unregister(sweep.Id);
        }
        if (state == SweepState.Completed && await sweeps.GetAsync(sweep.Id) is { } searched)
        {
            // The trials the search did not promote wait at their rung's limit: they end with it, before it is reported
            // completed (their checkpoints stay in the store).
            await SweepTrialCancel.EndUnpromotedAsync(searched, services.Experiments, services.Dispatch, services.Gate, services.Time);
        }
        var ended = await sweeps.UpdateAsync(sweep.Id, r => r with
        {
            State = r.CancelRequested ? SweepState.Cancelled : state,
            StopReason = r.CancelRequested ? "cancelled" : reason,
            Message = state == SweepState.Failed ? reason : r.Message,
            Report = report,
            UpdatedAt = services.Time.GetUtcNow(),
        });
        if (ended is { CancelRequested: true })
        {
            // A cancel that arrived on another replica between two trials: none of them may go on.
            await SweepTrialCancel.CancelUnfinishedAsync(ended, services.Experiments, services.Dispatch, services.Gate, services.Time);
        }
        LogEnded(logger, sweep.Id, ended?.State.ToString() ?? state.ToString(), ended?.StopReason ?? reason);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Sweep {SweepId} ({Name}, {Algorithm}) started; every trial due by {Deadline:O}")]
    private static partial void LogStarted(ILogger logger, string sweepId, string name, string algorithm, DateTimeOffset deadline);

    [LoggerMessage(Level = LogLevel.Information, Message = "Sweep {SweepId}: {Line}")]
    private static partial void LogProgress(ILogger logger, string sweepId, string line);

    [LoggerMessage(Level = LogLevel.Error, Message = "Sweep {SweepId} failed")]
    private static partial void LogFailed(ILogger logger, string sweepId, Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "Sweep {SweepId} ended {State}: {Reason}")]
    private static partial void LogEnded(ILogger logger, string sweepId, string state, string reason);
}
