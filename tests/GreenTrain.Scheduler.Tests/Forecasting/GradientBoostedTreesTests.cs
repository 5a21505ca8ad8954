using GreenTrain.Scheduler.Forecasting.Models;

namespace GreenTrain.Scheduler.Tests.Forecasting;

/// <summary>The trees learn what a linear model cannot, give the same trees for the same data, and refuse bad input.</summary>
public class GradientBoostedTreesTests
{
    /// <summary>y = sin(3 a) + a step in b + noise: smooth and discontinuous non-linear parts a line cannot follow.</summary>
    private static (double[] X, double[] Y) Data(int n, int seed)
    {
        var random = new Random(seed);
        var x = new double[n * 2];
        var y = new double[n];
        for (var i = 0; i < n; i++)
        {
            var a = random.NextDouble() * 2 - 1;
            var b = random.NextDouble();
            x[2 * i] = a;
            x[2 * i + 1] = b;
            y[i] = Math.Sin(3 * a) + (b > 0.6 ? 1 : 0) + 0.05 * (random.NextDouble() - 0.5);
        }
        return (x, y);
    }

    [Fact]
    public void Trees_fit_a_known_non_linear_function_better_than_a_linear_model()
    {
        var (x, y) = Data(2000, seed: 1);
        var (testX, testY) = Data(500, seed: 2);

        var trees = GradientBoostedTrees.Fit(x, y, features: 2, trees: 200, depth: 3, learningRate: 0.1, minLeaf: 10);
        var line = LeastSquares(x, y);

        double treeError = 0, lineError = 0;
        for (var i = 0; i < testY.Length; i++)
        {
            var row = testX.AsSpan(2 * i, 2);
            treeError += Math.Pow(trees.Predict(row) - testY[i], 2);
            lineError += Math.Pow(line[0] + line[1] * row[0] + line[2] * row[1] - testY[i], 2);
        }
        treeError /= testY.Length;
        lineError /= testY.Length;
        // The line leaves the curvature and the step (about 0.1 of variance); the trees only the binning's and noise's share.
        lineError.Should().BeGreaterThan(0.05);
        treeError.Should().BeLessThan(lineError / 4);
    }

    [Fact]
    public void The_same_data_gives_the_same_trees()
    {
        var (x, y) = Data(500, seed: 3);
        var first = GradientBoostedTrees.Fit(x, y, features: 2);
        var second = GradientBoostedTrees.Fit(x, y, features: 2);

        for (var i = 0; i < 50; i++)
        {
            second.Predict(x.AsSpan(2 * i, 2)).Should().Be(first.Predict(x.AsSpan(2 * i, 2)));
        }
        first.Trees.Should().Be(100);
    }

    [Fact]
    public void A_constant_target_gives_its_value_everywhere()
    {
        var (x, _) = Data(300, seed: 4);
        var model = GradientBoostedTrees.Fit(x, Enumerable.Repeat(2.5, 300).ToArray(), features: 2);

        model.Predict([0.3, 0.9]).Should().BeApproximately(2.5, 1e-12);
    }

    [Fact]
    public void Rows_that_do_not_match_the_feature_count_are_refused()
    {
        var act = () => GradientBoostedTrees.Fit(new double[7], new double[3], features: 2);

        act.Should().Throw<ArgumentException>().WithMessage("*3 rows of 2 features*");
    }

    /// <summary>Ordinary least squares y ~ c0 + c1 a + c2 b, by the normal equations.</summary>
    private static double[] LeastSquares(double[] x, double[] y)
    {
        var upper = new double[9];
        var b = new double[3];
        for (var i = 0; i < y.Length; i++)
        {
            double[] row = [1, x[2 * i], x[2 * i + 1]];
            for (var r = 0; r < 3; r++)
            {
                b[r] += row[r] * y[i];
                for (var c = r; c < 3; c++)
                {
                    upper[r * 3 + c] += row[r] * row[c];
                }
            }
        }
        return Cholesky.SolveSymmetric(upper, b, 3, 1e-9)!;
    }
}
