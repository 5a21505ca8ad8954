using GreenTrain.Scheduler.Backtest;
using GreenTrain.Scheduler.Extensions;

// The same binary is the Scheduler service and its offline tools.
switch (args.FirstOrDefault())
{
    case "backtest":
        return BacktestCommand.Run(args[1..]);
    case "bench-planner":
        return PlannerBenchmark.Run(args[1..]);
}

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddApplicationServices();

var app = builder.Build();
app.MapDefaultEndpoints();
app.Run();
return 0;
