namespace GreenTrain.Trainer.Data.Dedup;

/// <summary>
/// MinHash signatures (Broder 1997): for each of k hash functions the smallest hash over a shingle set; two
/// sets agree on one value with probability equal to their Jaccard similarity. The k functions are
/// multiply-shift hashes (Dietzfelbinger et al.) of one well-mixed 64-bit hash of the shingle, with fixed
/// seeds so the signatures are the same on every machine.
/// </summary>
public sealed class MinHash
{
    private readonly ulong[] _multipliers;
    private readonly ulong[] _offsets;

    public MinHash(int functions, ulong seed = 0x5EED_D3D0)
    {
        _multipliers = new ulong[functions];
        _offsets = new ulong[functions];
        var state = seed;
        for (var k = 0; k < functions; k++)
        {
            _multipliers[k] = Mix(ref state) | 1; // odd, as multiply-shift needs
            _offsets[k] = Mix(ref state);
        }
    }

    public int Functions => _multipliers.Length;

    /// <summary>Writes the signature of <paramref name="shingles"/> into <paramref name="signature"/> (length Functions).</summary>
    public void Sign(ReadOnlySpan<ulong> shingles, Span<uint> signature)
    {
        signature.Fill(uint.MaxValue);
        foreach (var shingle in shingles)
        {
            var state = shingle;
            var h = Mix(ref state);
            for (var k = 0; k < signature.Length; k++)
            {
                var v = (uint)((_multipliers[k] * h + _offsets[k]) >> 32);
                if (v < signature[k]) signature[k] = v;
            }
        }
    }

    /// <summary>Signatures of every example, on all cores: example i's are [i*Functions, (i+1)*Functions).</summary>
    public uint[] SignAll(ulong[][] shingleSets, ParallelOptions? parallel = null)
    {
        var signatures = new uint[(long)shingleSets.Length * Functions];
        Parallel.For(0, shingleSets.Length, parallel ?? new(), i => Sign(shingleSets[i], signatures.AsSpan(i * Functions, Functions)));
        return signatures;
    }

    /// <summary>SplitMix64's output step: a bijective mix, so distinct shingles stay distinct.</summary>
    private static ulong Mix(ref ulong state)
    {
        var z = state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
