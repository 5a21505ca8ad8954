using System.CommandLine;
using GreenTrain.ServiceDefaults.Cli;
using GreenTrain.Scheduler.Backtest;
using GreenTrain.Scheduler.ForecastEval;

namespace GreenTrain.Scheduler.Cli;

/// <summary>The Scheduler binary's verbs: `backtest`, `bench-planner` and `forecast-eval` (offline); no verb is the web service.</summary>
public static class SchedulerCommandLine
{
    public static RootCommand Create(Func<string[], int> runService) => ServiceCommandLine.Create(
        "GreenTrain Scheduler: plans experiments into low-carbon hours and regions.",
        [BacktestCommand.Create(), PlannerBenchmark.Create(), ForecastEvalCommand.Create()],
        runService);
}
