using GreenTrain.Scheduler.ForecastEval;
using GreenTrain.Scheduler.Forecasting.Models;
using GreenTrain.Scheduler.Traces;

namespace GreenTrain.Scheduler.Tests.Forecasting;

/// <summary>The blend follows whichever member has been best lately, and the features it learns from read only the past.</summary>
public class BlendWeightingTests
{
    private static readonly DateTimeOffset January = new(2020, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Hour = TimeSpan.FromHours(1);

    [Theory]
    [InlineData("FR")]
    [InlineData("GB")]
    public void The_blend_is_about_as_good_as_its_best_member_at_every_planning_horizon(string region)
    {
        var actual = ShippedTraces.ReadEmbedded(region).ToGrid(January, Hour, 90 * 24);
        // The same members as the blend holds, run on their own so that each has its own score.
        IForecastModel[] models = [new SeasonalNaive(24, 48), new SeasonalNaive(24, 48, periodDays: 7), new RidgeHorizonModel(January, Hour, 48),
            BlendedForecaster.Builtin(January, Hour, 48)];

        var scores = ForecastEvaluation.Run(actual, models, [1, 6, 24], 24, warmUpDays: 14);

        foreach (var hours in new double[] { 1, 6, 24 })
        {
            var atHorizon = scores.Where(s => s.Hours == hours).ToList();
            var bestMember = atHorizon.Where(s => s.Model != "builtin").Min(s => s.MapePct);
            atHorizon.Single(s => s.Model == "builtin").MapePct.Should().BeLessThan(bestMember * 1.05, $"at {hours} h ahead");
        }
    }

    [Fact]
    public void The_same_phase_profile_averages_the_most_recent_known_days_only()
    {
        var history = new History(24);
        for (var i = 0; i < 100; i++)
        {
            history.Add(i);
        }

        // Known: cells 0..49. Target 60 lies 11 cells ahead: its phase was last seen at 36, before that at 12.
        history.SamePhaseMean(known: 50, target: 60, period: 24, periods: 2).Should().Be((36 + 12) / 2.0);
        // Target 75 lies 26 cells ahead: one day back (51) is not yet known, so the newest is 27.
        history.SamePhaseMean(known: 50, target: 75, period: 24, periods: 1).Should().Be(27);
    }
}
