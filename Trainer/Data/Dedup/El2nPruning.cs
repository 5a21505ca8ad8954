namespace GreenTrain.Trainer.Data.Dedup;

/// <summary>
/// EL2N (Paul, Ganguli and Dziugaite 2021, "Deep Learning on a Data Diet"): an example's score is the L2 norm
/// of its error vector, softmax(f(x)) - onehot(y), early in training; low scores are the easy examples the
/// model already fits, which the paper finds can be pruned with little loss. The paper averages the score
/// over several initialisations; GreenTrain scores once, after the short proxy run.
/// </summary>
public static class El2nPruning
{
    /// <param name="probabilities">[n, classes] row-major softmax outputs.</param>
    public static double[] Scores(float[] probabilities, long[] labels, int classes)
    {
        var scores = new double[labels.Length];
        Parallel.For(0, labels.Length, i =>
        {
            double sum = 0;
            for (var c = 0; c < classes; c++)
            {
                var error = probabilities[i * classes + c] - (c == labels[i] ? 1.0 : 0.0);
                sum += error * error;
            }

            scores[i] = Math.Sqrt(sum);
        });
        return scores;
    }

    /// <returns>The ids pruned (the lowest scores), so that round(n x keepFraction) examples remain.</returns>
    public static int[] Pruned(double[] scores, double keepFraction)
    {
        var keep = (int)Math.Round(scores.Length * keepFraction);
        return [.. Enumerable.Range(0, scores.Length).OrderBy(i => scores[i]).ThenBy(i => i).Take(scores.Length - keep)];
    }
}
