using GreenTrain.ServiceDefaults.Contracts;
using GreenTrain.Testing.Store;

namespace GreenTrain.Trainer.Tests.Worker;

/// <summary>
/// The worker as a real child process, killed with SIGKILL at random moments (seeded) and restarted each
/// time, against a real redis-server: the run still completes, ends bit-identical to an uninterrupted run,
/// and each kill loses at most one checkpoint interval of steps (counted from the newest committed checkpoint).
/// </summary>
public sealed class WorkerCrashTests(SharedStoreServers servers) : IClassFixture<SharedStoreServers>
{
    private const int Steps = 900; // long enough that six kills fit even when the first child races ahead of the test
    private const int Interval = 20;
    private const int Kills = 6;
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task Resume_after_kill_matches_uninterrupted_run()
    {
        var context = new WorkerTestContext(servers.Connection("redis"), servers.ConnectionString("redis"));
        var spec = WorkerTestContext.Spec(Steps, Interval, width: 256, batchSize: 512);
        var random = new Random(20240607);
        var id = await context.SubmitAsync(spec);
        var kills = new List<Kill>();

        ExperimentProgress progress;
        for (var attempt = 0; ; attempt++)
        {
            using var worker = WorkerProcess.Start(context, $"child-{attempt}");
            // Ready when this child has restored (or started) and trained at least one step, or the run is over.
            progress = await context.WaitForAsync(id, p => p.State == ExperimentRunState.Completed
                || (p.Worker == worker.WorkerId && p.State == ExperimentRunState.Running && p.ResumedFromStep is { } from && p.Step > from), Timeout, worker.Output, () => worker.HasExited);
            if (kills.Count > 0) kills[^1] = kills[^1] with { ResumedFrom = progress.ResumedFromStep ?? 0 };
            if (progress.State == ExperimentRunState.Completed || kills.Count == Kills)
            {
                progress = await context.WaitForAsync(id, p => p.State == ExperimentRunState.Completed, Timeout, worker.Output, () => worker.HasExited);
                break;
            }

            var killAt = progress.Step + random.Next(1, 2 * Interval);
            progress = await context.WaitForAsync(id, p => p.State == ExperimentRunState.Completed || p.Step >= killAt, Timeout, worker.Output, () => worker.HasExited);
            if (progress.State == ExperimentRunState.Completed) break;
            (await context.IsConnectedAsync(worker.WorkerId)).Should().BeTrue("the wait below tells the child's connections by their name");
            worker.Kill();
            // A save or progress write the child sent just before dying may still be in the store's input: read after it.
            await context.WaitUntilDisconnectedAsync(worker.WorkerId, Timeout);
            var lastWord = await context.Experiments.ReadProgressAsync(id);
            var newestCommitted = (await context.Checkpoints.ListAsync(id)).FirstOrDefault()?.Step ?? 0;
            kills.Add(new Kill(lastWord!.Step, newestCommitted, ResumedFrom: -1));
        }
        var (finalStep, parameters) = await context.NewestParametersAsync(id);

        kills.Should().HaveCount(Kills, "the run must be long enough for every planned kill");
        var report = string.Join(", ", kills);
        kills.Should().OnlyContain(k => k.ResumedFrom == k.NewestCommitted, $"each restart resumes from the newest checkpoint committed before the kill: {report}");
        // Saves run in the background; the worker snapshots early enough (and holds the step when a save lags)
        // that the newest committed checkpoint is never more than one interval behind the training step.
        kills.Should().OnlyContain(k => k.StepAtKill - k.ResumedFrom <= Interval,
            $"a kill loses at most one checkpoint interval of steps: {report}");
        progress.Step.Should().Be(Steps);
        finalStep.Should().Be(Steps);
        parameters.Should().Equal(WorkerTestContext.UninterruptedParameters(spec), "a run killed and resumed must end bit-identical to one never interrupted");
    }

    private sealed record Kill(long StepAtKill, long NewestCommitted, long ResumedFrom);
}
