using GreenTrain.ServiceDefaults.Cli;
using GreenTrain.Trainer.Cli;
using GreenTrain.Trainer.Extensions;

// `train`, `dedup` and `bench` are the standalone CLI and `worker` only the worker (no HTTP); with no verb this is the
// Trainer web service, which runs the worker too (Worker:Enabled). `--help` lists the verbs.
return CliApp.Run(TrainerCommandLine.Create(RunService), args);

static int RunService(string[] args)
{
    var builder = WebApplication.CreateBuilder(args);
    builder.AddServiceDefaults();
    builder.AddApplicationServices();

    var app = builder.Build();
    app.MapDefaultEndpoints();
    app.Run();
    return ExitCodes.Done;
}
