using GreenTrain.Scheduler;
using GreenTrain.Scheduler.Backtest;

// The same binary is the Scheduler service and its offline tools.
switch (args.FirstOrDefault())
{
    case "backtest":
        return BacktestCommand.Run(args[1..]);
    case "bench-planner":
        return PlannerBenchmark.Run(args[1..]);
    case "forecast-eval":
        return GreenTrain.Scheduler.ForecastEval.ForecastEvalCommand.Run(args[1..]);
}

SchedulerApp.Build(args).Run();
return 0;
