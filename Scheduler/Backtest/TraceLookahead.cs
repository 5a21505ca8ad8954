using GreenTrain.Scheduler.Forecasting.Models;

namespace GreenTrain.Scheduler.Backtest;

/// <summary>
/// The back-test's perfect forecast (`--forecast perfect --replan`): it reads the trace ahead, which no real forecaster
/// can. It exists only to measure how much of the oracle's saving the replanning policy itself keeps.
/// </summary>
internal sealed class TraceLookahead(double[] actual, int cellsPerDay, int maxHorizon) : OnlineModel(cellsPerDay, maxHorizon)
{
    public override string Name => "perfect";

    protected override void Predict(Span<double> into)
    {
        for (var i = 0; i < into.Length; i++)
        {
            var cell = Math.Min(actual.Length - 1, History.Count + i);
            into[i] = double.IsNaN(actual[cell]) ? History[History.Count - 1] : actual[cell];
        }
    }
}
