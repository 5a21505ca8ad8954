using GreenTrain.ServiceDefaults.Cli;
using GreenTrain.Scheduler;
using GreenTrain.Scheduler.Cli;

// The same binary is the Scheduler service (no verb) and its offline tools (`--help` lists them).
return CliApp.Run(SchedulerCommandLine.Create(args =>
{
    SchedulerApp.Build(args).Run();
    return ExitCodes.Done;
}), args);
