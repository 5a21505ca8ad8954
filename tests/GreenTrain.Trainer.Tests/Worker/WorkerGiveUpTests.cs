using GreenTrain.ServiceDefaults.Contracts;
using GreenTrain.Testing.Store;
using GreenTrain.Trainer.Cli;

namespace GreenTrain.Trainer.Tests.Worker;

/// <summary>A command that fails on its last allowed delivery is dead-lettered: the experiment's message must not promise a retry.</summary>
public sealed class WorkerGiveUpTests(SharedStoreServers servers) : IClassFixture<SharedStoreServers>
{
    [Fact]
    public async Task A_failure_on_the_last_delivery_says_it_will_not_be_retried()
    {
        var root = Directory.CreateTempSubdirectory("greentrain-data-").FullName;
        try
        {
            // Four files of the right names that are not gzip: reading them throws, a failure the worker would retry.
            foreach (var name in new[] { "train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz", "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz" })
            {
                File.WriteAllText(Path.Combine(root, name), "not gzip at all");
            }
            var context = new WorkerTestContext(servers.Connection("redis"), servers.ConnectionString("redis"));
            var spec = WorkerTestContext.Spec(steps: 5, checkpointEverySteps: 5, width: 32, batchSize: 8) with
            {
                Dataset = new DatasetSpec { Kind = DatasetKind.FashionMnist, Path = root },
            };
            using var host = WorkerCommand.CreateHost(context.WorkerArguments("worker-give-up", $"--Data:Roots:0={root}", "--CommandQueue:MaxDeliveries=1"));
            await host.StartAsync();

            var id = await context.SubmitAsync(spec);
            var failed = await context.WaitForAsync(id, p => p.State == ExperimentRunState.Failed && p.Message!.Contains("dead-lettered"), TimeSpan.FromSeconds(60));
            await host.StopAsync();

            failed.Message.Should().Contain("will not be retried").And.NotContain("(the command will be retried)");
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }
}
