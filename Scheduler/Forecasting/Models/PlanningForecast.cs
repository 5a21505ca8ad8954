namespace GreenTrain.Scheduler.Forecasting.Models;

/// <summary>
/// What the planner is shown for the cells ahead when the forecast is the built-in one: the forecast, raised by
/// <c>risk</c> times its own expected error at that horizon. The current cell is known, so its value stands; a cell far
/// ahead whose forecast has been often wrong looks dearer than its point forecast, so the planner waits for it only
/// when it is cleaner even on the pessimistic side of its error (a threshold rule in the spirit of online
/// pause-and-resume, Lechowicz et al., 2023). Deadlines are never at stake: every replan keeps the remaining work
/// feasible, whatever the values.
/// </summary>
public static class PlanningForecast
{
    /// <summary>Fills <paramref name="into"/>: [0] is the observed current value, [h] the model's forecast h cells ahead, risk-adjusted.</summary>
    public static void Write(IForecastModel model, double current, double risk, Span<double> into)
    {
        into[0] = current;
        var ahead = into[1..];
        model.Forecast(ahead);
        if (risk <= 0)
        {
            return;
        }
        for (var h = 1; h <= ahead.Length; h++)
        {
            var error = model.ExpectedError(h);
            if (!double.IsNaN(error))
            {
                ahead[h - 1] *= 1 + risk * error;
            }
        }
    }
}
