using GreenTrain.Telemetry.Ui;

namespace GreenTrain.Ui.Tests.Ui;

public sealed class ParetoFrontierTests
{
    [Fact]
    public void A_point_beaten_on_both_metric_and_cost_is_off_the_frontier()
    {
        // (accuracy, Wh): the best, the cheapest, one beaten by both, and a tie in cost with a better metric beside it.
        var on = ParetoFrontier.Of([(0.97, 30), (0.93, 10), (0.90, 40), (0.92, 10)], higherIsBetter: true);

        on.Should().Equal(true, true, false, false);
    }

    [Fact]
    public void For_loss_lower_is_better()
    {
        var on = ParetoFrontier.Of([(0.5, 30), (0.9, 10), (1.2, 20)], higherIsBetter: false);

        on.Should().Equal(true, true, false);
    }
}
