using System.CommandLine;
using GreenTrain.ServiceDefaults.Cli;
using GreenTrain.Scheduler.Backtest;
using GreenTrain.Scheduler.ForecastEval;
using GreenTrain.Scheduler.Sweeps;

namespace GreenTrain.Scheduler.Cli;

/// <summary>The Scheduler binary's verbs: `backtest`, `bench-planner`, `forecast-eval` and `sweep` (offline); no verb is the web service.</summary>
public static class SchedulerCommandLine
{
    public static RootCommand Create(Func<string[], int> runService) => ServiceCommandLine.Create(
        "GreenTrain Scheduler: plans experiments into low-carbon hours and regions.",
        [BacktestCommand.Create(), PlannerBenchmark.Create(), ForecastEvalCommand.Create(), SweepCommand.Create()],
        runService);
}
