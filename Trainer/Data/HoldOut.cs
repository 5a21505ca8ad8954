namespace GreenTrain.Trainer.Data;

/// <summary>
/// Divides example indices into train, validation and test sets. The split uses a fixed seed, not the
/// training seed, so runs with different seeds are measured on the same held-out examples.
/// </summary>
public static class HoldOut
{
    public const long SplitSeed = 20_240_601;

    public static (long[] Train, long[] Validation, long[] Test) Split(long count, double validationFraction, double testFraction)
    {
        var order = DataOrder.Permutation(count, SplitSeed, epoch: 0);
        var test = (long)Math.Round(count * testFraction);
        var validation = (long)Math.Round(count * validationFraction);
        return (order[(int)(test + validation)..], order[(int)test..(int)(test + validation)], order[..(int)test]);
    }
}
