namespace GreenTrain.Scheduler.Forecasting.Models;

/// <summary>
/// A forecaster that learns one region's intensity as it arrives, on a regular grid of cells. It sees the actual
/// value of each cell in turn (<see cref="Observe"/>), refits itself as it goes, and forecasts the cells after the
/// last one observed from what it has observed only: nothing it is not yet told can reach a forecast.
/// It also says how wrong it expects to be at each horizon, from the errors of its own past forecasts.
/// The live Scheduler uses one when a provider gives no forecast; the back-test and forecast-eval use the same.
/// </summary>
public interface IForecastModel
{
    string Name { get; }

    /// <summary>Cells per day: the grid's resolution (96 at 15 minutes).</summary>
    int CellsPerDay { get; }

    /// <summary>How many cells have been observed.</summary>
    int Observed { get; }

    /// <summary>The longest horizon, in cells, whose errors the model tracks and that <see cref="Forecast"/> may be asked for.</summary>
    int MaxHorizon { get; }

    /// <summary>Appends the actual intensity of the next cell; NaN when it is unknown (the model fills it, see <see cref="History"/>).</summary>
    void Observe(double actual);

    /// <summary>Fills <paramref name="into"/> with the forecast of the next into.Length cells (at most <see cref="MaxHorizon"/>).</summary>
    void Forecast(Span<double> into);

    /// <summary>The expected absolute error h cells ahead (1-based) as a fraction of the actual (MAPE/100); NaN before it has any record.</summary>
    double ExpectedError(int h);
}
