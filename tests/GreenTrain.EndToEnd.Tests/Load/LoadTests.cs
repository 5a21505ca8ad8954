using GreenTrain.Testing.Store;
using Xunit.Abstractions;

namespace GreenTrain.EndToEnd.Tests.Load;

/// <summary>
/// The load held in the probe of issue #21, small enough for CI: experiments submitted at once all complete exactly
/// once and before their deadline, although a trainer is killed and the AppHost restarted in the middle.
/// GREENTRAIN_LOAD_EXPERIMENTS=50 runs the probe's size (docs/benchmarks.md records that run and its latencies).
/// </summary>
public sealed class LoadTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Experiments_submitted_at_once_all_complete_once_and_in_time_across_a_trainer_kill_and_an_apphost_restart()
    {
        var count = int.TryParse(Environment.GetEnvironmentVariable("GREENTRAIN_LOAD_EXPERIMENTS"), out var n) && n > 0 ? n : 8;
        var folder = TempFolder.Create("e2e-load");

        var result = await new LoadScenario(count, folder).RunAsync(deadlineIn: TimeSpan.FromMinutes(4 + count / 5.0));

        output.WriteLine(result.Table());
        await File.WriteAllTextAsync(Path.Combine(folder, "load-results.md"), result.Table());
        output.WriteLine($"results: {Path.Combine(folder, "load-results.md")}");
        result.KilledAt.Should().BePositive("a trainer was killed in the middle");
        result.RestartedAt.Should().BePositive("the AppHost was restarted in the middle");
        result.Runs.Should().HaveCount(count, "nothing submitted is lost across the restart");
        result.Runs.Where(r => r.SchedulerState != "completed" || r.Progress?.Step != r.Progress?.TotalSteps)
            .Select(r => $"{r.Id}: {r.SchedulerState} / {r.Progress?.State} at {r.Progress?.Step} ({r.Progress?.Message})")
            .Should().BeEmpty("every experiment completes");
        result.Late.Should().Be(0, "none finishes after its deadline");
        result.Runs.Where(r => r.StepsTrained > result.Steps + 2 * result.CheckpointEverySteps)
            .Select(r => $"{r.Id}: trained {r.StepsTrained} steps of {result.Steps}")
            .Should().BeEmpty("no experiment is trained twice");
        result.Runs.Where(r => r.LastTrainedAt > r.Progress?.UpdatedAt + TimeSpan.FromSeconds(1))
            .Select(r => r.Id).Should().BeEmpty("nothing trains an experiment after it completed");
    }
}
