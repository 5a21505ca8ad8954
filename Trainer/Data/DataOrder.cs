namespace GreenTrain.Trainer.Data;

/// <summary>
/// Where a run is in its data: which pass and how many examples of that pass it has consumed.
/// With the seed it fixes every later batch, so a checkpoint needs only these two numbers.
/// </summary>
public readonly record struct DataCursor(long Epoch, long Position);

/// <summary>
/// The order of examples in each pass, a pure function of (seed, epoch, count): the same on every
/// machine, device and .NET version (SplitMix64 and Fisher-Yates, not System.Random or the device RNG).
/// </summary>
public static class DataOrder
{
    public static long[] Permutation(long count, long seed, long epoch)
    {
        var order = new long[count];
        for (long i = 0; i < count; i++) order[i] = i;
        var state = unchecked((ulong)seed * 0x9E3779B97F4A7C15UL ^ (ulong)epoch * 0xD1B54A32D192ED03UL);
        for (var i = count - 1; i > 0; i--)
        {
            var j = (long)(Next(ref state) % (ulong)(i + 1));
            (order[i], order[j]) = (order[j], order[i]);
        }

        return order;
    }

    /// <summary>SplitMix64 (Steele, Lea and Flood, 2014): a tiny generator with good statistical quality.</summary>
    private static ulong Next(ref ulong state)
    {
        var z = state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
