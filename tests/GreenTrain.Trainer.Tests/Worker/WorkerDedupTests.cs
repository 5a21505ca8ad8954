using System.Text.Json;
using GreenTrain.ServiceDefaults.Contracts;
using GreenTrain.ServiceDefaults.Store;
using GreenTrain.Testing.Store;
using GreenTrain.Trainer.Data.Dedup;
using GreenTrain.Trainer.Engine;
using Microsoft.Extensions.Logging.Abstractions;
using static TorchSharp.torch;

namespace GreenTrain.Trainer.Tests.Worker;

/// <summary>A spec with dataset.dedup sent through the Scheduler's path: the worker dedups as the CLI does, bills it and says what it removed.</summary>
public sealed class WorkerDedupTests(SharedStoreServers servers) : IClassFixture<SharedStoreServers>
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(120);

    [Fact]
    public async Task The_worker_trains_on_the_deduplicated_set_and_stores_its_summary_manifest_and_energy()
    {
        var context = new WorkerTestContext(servers.Connection("redis"), servers.ConnectionString("redis"));
        var spec = WorkerTestContext.Spec(steps: 30, checkpointEverySteps: 30) with
        {
            Dataset = new DatasetSpec { Dedup = new DedupSpec { Exact = true, Near = new NearDedupSpec { ImageDifference = 0.1 } } }, // loose, so that digits have near duplicates
        };
        using var host = await WorkerCommandTests.StartWorkerAsync(context, "worker-dedup");

        var id = await context.SubmitAsync(spec);
        await context.WaitForAsync(id, p => p.State == ExperimentRunState.Completed, Timeout);
        var summary = JsonSerializer.Deserialize<DedupSummary>((await context.Experiments.ReadDedupAsync(id))!, ExperimentSpecJson.Options)!;
        var manifest = (await context.Experiments.ReadDedupManifestAsync(id)).Select(l => JsonSerializer.Deserialize<RemovedExample>(l, ExperimentSpecJson.Options)!).ToList();
        var windows = (await context.Store.Database.ListRangeAsync(StoreKeys.EnergyWindows(id))).Select(w => JsonDocument.Parse((string)w!).RootElement).ToList();
        var (_, parameters) = await context.NewestParametersAsync(id);

        // What the CLI's composition gives for the same spec, in this process.
        var options = new RunOptions { Device = CPU, CpuThreads = 1 };
        var local = TrainingSession.OpenData(spec, options, null, null, NullLogger.Instance);
        using var state = TrainingSession.Prepare(spec, CPU, 1, local.Data);
        new TrainingLoop(TrainingSession.StandardObservers(spec), NullLogger.Instance).Run(state);

        summary.Examples.Should().Be(1258);
        summary.Kept.Should().Be(local.Summary!.Kept).And.BeLessThan(summary.Examples, "digits hold near duplicates");
        manifest.Should().BeEquivalentTo(local.Removed, "the manifest names every removed example, as the CLI's does");
        manifest.Count(m => m.Split == "train").Should().Be(summary.Examples - summary.Kept);
        summary.Overlap.Should().NotBeNull("the evaluation splits are checked against train");
        summary.EnergyJoules.Should().BeGreaterThan(0);
        windows.First().GetProperty("phase").GetString().Should().Be("dedup", "the stage is metered before training and billed to the run");
        windows.Where(w => w.GetProperty("phase").GetString() == "dedup").Sum(w => w.GetProperty("devices").EnumerateArray().Sum(d => d.GetProperty("joules").GetDouble()))
            .Should().BeApproximately(summary.EnergyJoules!.Value, 1e-6, string.Join("\n", windows.Select(w => w.ToString())));
        parameters.Should().Equal(state.Parameters.Master.data<float>().ToArray(), "the worker trained on the kept examples, as the CLI would");
    }
}
