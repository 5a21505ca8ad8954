using System.CommandLine;
using GreenTrain.ServiceDefaults.Cli;
using GreenTrain.Trainer.Benchmarks;

namespace GreenTrain.Trainer.Cli;

/// <summary>The Trainer binary's verbs: `train`, `dedup` and `bench` (standalone), `worker` (only the worker); no verb is the web service.</summary>
public static class TrainerCommandLine
{
    public static RootCommand Create(Func<string[], int> runService) => ServiceCommandLine.Create(
        "GreenTrain Trainer: trains experiment specs with TorchSharp and measures their energy.",
        [TrainCommand.Create(), DedupCommand.Create(), WorkerCommand.Create(), BenchCommand.Create(), GptProfileCommand.Create(), CnnTargetCommand.Create()],
        runService);
}
