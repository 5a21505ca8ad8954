namespace GreenTrain.Trainer.Energy.Bench;

/// <summary>
/// A stand-in for one training step: a dense n x n matrix product on the CPU, a few milliseconds at the
/// default size, the order of a small model's step. The meter's cost does not depend on what the step does.
/// </summary>
public sealed class SyntheticStep(int size)
{
    private readonly float[] _a = Fill(size, 1);
    private readonly float[] _b = Fill(size, 2);
    private readonly float[] _c = new float[size * size];

    public float Run()
    {
        Array.Clear(_c);
        for (var i = 0; i < size; i++)
        {
            for (var k = 0; k < size; k++)
            {
                var a = _a[i * size + k];
                for (var j = 0; j < size; j++)
                {
                    _c[i * size + j] += a * _b[k * size + j];
                }
            }
        }
        return _c[^1];
    }

    private static float[] Fill(int size, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, size * size).Select(_ => (float)random.NextDouble()).ToArray();
    }
}
