using GreenTrain.ServiceDefaults.Contracts;
using GreenTrain.Testing.Store;
using GreenTrain.Trainer.Cli;
using Microsoft.Extensions.Hosting;

namespace GreenTrain.Trainer.Tests.Worker;

/// <summary>
/// A spec written to the store behind the Scheduler's back (or before these checks existed): the worker refuses what it
/// must not open or cannot hold, before opening or allocating anything, and says why as a failure.
/// </summary>
public sealed class WorkerAdmissionTests(SharedStoreServers servers) : IClassFixture<SharedStoreServers>
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    private async Task<ExperimentProgress> RunToFailureAsync(ExperimentSpec spec, params string[] settings)
    {
        var context = new WorkerTestContext(servers.Connection("redis"), servers.ConnectionString("redis"));
        using var host = WorkerCommand.CreateHost(context.WorkerArguments("worker-admission", settings));
        await host.StartAsync();
        try
        {
            var id = await context.SubmitAsync(spec);
            return await context.WaitForAsync(id, p => p.State is ExperimentRunState.Failed or ExperimentRunState.Completed, Timeout);
        }
        finally
        {
            await host.StopAsync();
        }
    }

    private static ExperimentSpec Text(string path) => WorkerTestContext.Spec(steps: 5, checkpointEverySteps: 5, width: 32, batchSize: 8) with
    {
        Dataset = new DatasetSpec { Kind = DatasetKind.Text, Path = path },
        Model = new ModelSpec { Kind = ModelKind.Gpt, Width = 32, Depth = 1, Heads = 2, ContextLength = 16 },
    };

    [Theory]
    [InlineData("/etc/passwd")]
    [InlineData("/etc")]
    [InlineData("/dev/zero")]
    public async Task A_dataset_path_outside_the_data_roots_fails_naming_the_setting(string path)
    {
        var failed = await RunToFailureAsync(Text(path));

        failed.State.Should().Be(ExperimentRunState.Failed);
        failed.Message.Should().Contain("dataset.path").And.Contain("Data:Roots").And.NotContain("root:x:");
    }

    [Fact]
    public async Task A_symbolic_link_out_of_a_configured_root_fails_and_a_file_inside_trains()
    {
        var root = Directory.CreateTempSubdirectory("greentrain-data-").FullName;
        try
        {
            File.CreateSymbolicLink(Path.Combine(root, "passwd.txt"), "/etc/passwd");
            File.WriteAllText(Path.Combine(root, "corpus.txt"), string.Concat(Enumerable.Repeat("the quick brown fox jumps over the lazy dog. ", 200)));

            var escaped = await RunToFailureAsync(Text(Path.Combine(root, "passwd.txt")), $"--Data:Roots:0={root}");
            var inside = await RunToFailureAsync(Text(Path.Combine(root, "corpus.txt")), $"--Data:Roots:0={root}");

            escaped.State.Should().Be(ExperimentRunState.Failed);
            escaped.Message.Should().Contain("Data:Roots");
            inside.State.Should().Be(ExperimentRunState.Completed, inside.Message);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public async Task A_model_larger_than_the_workers_memory_fails_before_it_is_built()
    {
        var huge = WorkerTestContext.Spec(steps: 5, checkpointEverySteps: 5, width: 32, batchSize: 8) with
        {
            Model = new ModelSpec { Kind = ModelKind.Mlp, Width = 65536, Depth = 256 },
        };
        var before = Environment.WorkingSet;

        var failed = await RunToFailureAsync(huge);

        failed.State.Should().Be(ExperimentRunState.Failed);
        failed.Message.Should().Contain("model.width 65536").And.Contain("parameters").And.Contain("Worker:MaxModelMemoryGiB");
        (Environment.WorkingSet - before).Should().BeLessThan(1L << 30, "nothing of the model was allocated");
    }

    [Fact]
    public async Task A_configured_limit_below_the_machines_memory_is_applied()
    {
        var spec = WorkerTestContext.Spec(steps: 5, checkpointEverySteps: 5, width: 1024, batchSize: 8);

        var failed = await RunToFailureAsync(spec, "--Worker:MaxModelMemoryGiB=0.001");

        failed.State.Should().Be(ExperimentRunState.Failed);
        failed.Message.Should().Contain("0.001 GiB allowed");
    }
}
