using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using GreenTrain.EndToEnd.Tests.Loop;
using GreenTrain.ServiceDefaults.Contracts;
using GreenTrain.ServiceDefaults.Store;
using SharedExperiments = GreenTrain.ServiceDefaults.Store.Experiments.ExperimentStore;

namespace GreenTrain.EndToEnd.Tests.Commands;

/// <summary>
/// The dashboard's "Pause training" and "Resume training" commands on a trainer resource, executed through Aspire's
/// command service as the dashboard's buttons do, against the loop's running AppHost: the worker checkpoints and
/// pauses, then trains on from that checkpoint.
/// </summary>
[Collection(LoopCollection.Name)]
public sealed class TrainingCommandsTests(LoopFixture loop)
{
    // France's replayed trace (the fixture replaces only Germany's); the deadline is closer than the estimate, so it runs at once.
    private static string SpecJson(DateTimeOffset deadline) => """
        {"name":"e2e-dashboard","dataset":{"kind":"digits","validationFraction":0.1,"testFraction":0.2},"model":{"kind":"mlp","width":512,"depth":3},
         "training":{"epochs":2000,"batchSize":64,"precision":"fp32","seed":7,"evalEverySteps":500,
           "optimizer":{"kind":"adamw","learningRate":0.003,"weightDecay":0.01,"gradientClip":1.0}},
         "checkpoint":{"everySeconds":3,"keepLast":2},
         "carbon":{"pausable":true,"allowedRegions":["FR"],"deadline":"DEADLINE"}}
        """.Replace("DEADLINE", deadline.ToString("O"), StringComparison.Ordinal);

    [Fact]
    public async Task Pause_training_checkpoints_the_running_experiment_and_resume_training_continues_it_from_that_checkpoint()
    {
        using var scheduler = loop.CreateSchedulerClient();
        var created = await scheduler.PostAsync("/experiments?estimatedHours=1&estimatedKWh=0.01",
            new StringContent(SpecJson(DateTimeOffset.UtcNow.AddSeconds(30)), Encoding.UTF8, "application/json"));
        created.StatusCode.Should().Be(System.Net.HttpStatusCode.Created, await created.Content.ReadAsStringAsync());
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
        var shared = new SharedExperiments(new GreenTrainStore(loop.Store));
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));

        await WaitForAsync(shared, id, p => p is { State: ExperimentRunState.Running, Step: > 0 }, timeout.Token);
        var paused = await loop.App.ResourceCommands.ExecuteCommandAsync("trainer-fr", "pause-training", timeout.Token);
        paused.Success.Should().BeTrue(paused.Message);
        var atPause = await WaitForAsync(shared, id, p => p is { State: ExperimentRunState.Paused, CheckpointStep: > 0 }, timeout.Token);

        var resumed = await loop.App.ResourceCommands.ExecuteCommandAsync("trainer-fr", "resume-training", timeout.Token);
        resumed.Success.Should().BeTrue(resumed.Message);
        var afterResume = await WaitForAsync(shared, id, p => p is { State: ExperimentRunState.Running, ResumedFromStep: > 0 }, timeout.Token);

        afterResume.ResumedFromStep.Should().Be(atPause.CheckpointStep, "it continues from the checkpoint the pause wrote, not from step 0");
        afterResume.RunId.Should().Be(atPause.RunId, "a resume bills the same run");
        (await scheduler.PostAsync($"/experiments/{id}/cancel", null)).EnsureSuccessStatusCode(); // free trainer-fr for what follows
        await WaitForAsync(shared, id, p => p.State is ExperimentRunState.Cancelled or ExperimentRunState.Completed, timeout.Token);
    }

    /// <summary>Polls the worker's progress hash (the state under test) until it satisfies <paramref name="done"/>.</summary>
    private static async Task<ExperimentProgress> WaitForAsync(SharedExperiments shared, string id, Func<ExperimentProgress, bool> done, CancellationToken cancellationToken)
    {
        ExperimentProgress? last = null;
        while (!cancellationToken.IsCancellationRequested)
        {
            last = await shared.ReadProgressAsync(id);
            if (last is not null && done(last))
            {
                return last;
            }
            await Task.Delay(TimeSpan.FromMilliseconds(200), CancellationToken.None);
        }
        throw new TimeoutException($"Experiment {id} never got there; last progress: {last}");
    }
}
