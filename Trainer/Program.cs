using GreenTrain.Trainer.Benchmarks;
using GreenTrain.Trainer.Cli;
using GreenTrain.Trainer.Extensions;

// `train ...`, `dedup ...` and `bench ...` run the standalone CLI, `worker ...` only the worker (no HTTP); anything else
// starts the Trainer web service, which runs the worker too (Worker:Enabled).
if (args.Length > 0 && args[0] == "train")
{
    return TrainCommand.Run(args[1..], Console.Out, Console.Error);
}

if (args.Length > 0 && args[0] == "dedup")
{
    return DedupCommand.Run(args[1..], Console.Out, Console.Error);
}

if (args.Length > 0 && args[0] == "bench")
{
    return BenchCommand.Run(args[1..], Console.Out, Console.Error);
}

if (args.Length > 0 && args[0] == "worker")
{
    return WorkerCommand.Run(args[1..], Console.Error);
}

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddApplicationServices();

var app = builder.Build();
app.MapDefaultEndpoints();
app.Run();
return 0;
