using GreenTrain.Scheduler.ForecastEval;
using GreenTrain.Scheduler.Forecasting;
using GreenTrain.Scheduler.Forecasting.Models;
using GreenTrain.Scheduler.Traces;
using GreenTrain.ServiceDefaults.Carbon;

namespace GreenTrain.Scheduler.Tests.Forecasting;

public class BuiltinForecasterTests
{
    private static readonly DateTimeOffset January = new(2020, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Hour = TimeSpan.FromHours(1);

    private static double[] Hourly(string region, int days) =>
        ShippedTraces.ReadEmbedded(region).ToGrid(January, Hour, days * 24);

    [Theory]
    [InlineData(BuiltinVariant.Standard)]
    [InlineData(BuiltinVariant.Residual)]
    [InlineData(BuiltinVariant.WithGbt)]
    [InlineData(BuiltinVariant.WithGbtOnRidge)]
    public void A_forecast_made_at_t_is_unchanged_when_the_data_after_t_is_altered(BuiltinVariant variant)
    {
        var actual = Hourly("DE", 30);
        var altered = (double[])actual.Clone();
        const int t = 20 * 24;
        for (var i = t; i < altered.Length; i++)
        {
            altered[i] = 1000 - altered[i]; // everything after t rewritten
        }
        var original = Forecast(actual, t, variant);
        var changed = Forecast(altered, t, variant);

        changed.Should().Equal(original);
        original.Should().OnlyContain(v => v > 0 && !double.IsNaN(v));
    }

    /// <summary>Feeds the whole array but forecasts after observing the first <paramref name="known"/> cells, as the back-test does.</summary>
    private static double[] Forecast(double[] values, int known, BuiltinVariant variant = BuiltinVariant.Standard)
    {
        var model = BlendedForecaster.Builtin(January, Hour, 48, variant);
        var forecast = new double[48];
        for (var i = 0; i < known; i++)
        {
            model.Observe(values[i]);
            model.Forecast(forecast); // forecasting along the way, so the blend has a record of every member
        }
        return forecast.ToArray();
    }

    [Theory]
    [InlineData("DE")]
    [InlineData("FR")]
    [InlineData("GB")]
    public void The_builtin_forecaster_beats_persistence_a_day_ahead(string region)
    {
        var actual = Hourly(region, 120);
        IForecastModel[] models = [new SeasonalNaive(24, 48), BlendedForecaster.Builtin(January, Hour, 48)];

        var scores = ForecastEvaluation.Run(actual, models, [24], 24, warmUpDays: 14);

        scores.Single(s => s.Model == "builtin").MapePct.Should().BeLessThan(scores.Single(s => s.Model == "persistence-24h").MapePct);
    }

    [Fact]
    public void The_stated_error_grows_with_the_horizon_and_matches_the_realised_error()
    {
        var actual = Hourly("GB", 90);
        var model = BlendedForecaster.Builtin(January, Hour, 48);
        var scores = ForecastEvaluation.Run(actual, [model], [1, 24], 24, warmUpDays: 14);

        model.ExpectedError(1).Should().BeLessThan(model.ExpectedError(24));
        // The stated error is a recent (two-week half-life) mean, the realised one is over the whole span: same order.
        var realised24 = scores.Single(s => s.Hours == 24).MapePct / 100;
        model.ExpectedError(24).Should().BeInRange(realised24 / 2.5, realised24 * 2.5);
    }

    [Fact]
    public void The_live_fallback_forecasts_what_the_back_test_forecasts_from_the_same_history()
    {
        var values = Hourly("GB", 20);
        var known = new IntensitySeries("GB", values.Select((v, i) =>
            new IntensityInterval(January + Hour * i, January + Hour * (i + 1), v, IntensitySignal.Average, "trace", "GB")).ToList());

        var live = BuiltinForecast.Extend(known, known.End, TimeSpan.FromHours(48), TimeSpan.FromDays(1));

        // The back-test's model, fed cell by cell and forecasting at each (so the blend weights members by their record).
        live.Intervals.Select(i => i.GramsPerKWh).Should().Equal(Forecast(values, values.Length));
    }

    [Fact]
    public void The_live_fallback_forecasts_from_the_end_of_what_is_known_to_the_horizon()
    {
        var known = ShippedTraces.ReadEmbedded("FR").Slice(January, January.AddDays(10));
        var now = January.AddDays(10).AddHours(3);

        var forecast = BuiltinForecast.Extend(known, now, TimeSpan.FromHours(24), TimeSpan.FromDays(1));

        forecast.Start.Should().BeOnOrBefore(now);
        forecast.End.Should().BeOnOrAfter(now.AddHours(24));
        forecast.Intervals.Should().OnlyContain(i => i.GramsPerKWh > 0 && i.Source.StartsWith("builtin("));
        var truth = ShippedTraces.ReadEmbedded("FR").MeanOver(now, now.AddHours(24))!.Value;
        forecast.MeanOver(now, now.AddHours(24))!.Value.Should().BeApproximately(truth, truth * 0.5);
    }
}
