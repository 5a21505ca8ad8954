namespace GreenTrain.Trainer.Data.Dedup;

/// <summary>A removed example and the kept one it duplicates, with their measured similarity.</summary>
public readonly record struct DuplicateMatch(int Id, int Match, double Similarity);

/// <summary>
/// Near duplicates: MinHash signatures, LSH candidates, then candidate pairs verified on their exact
/// Jaccard, so the threshold is exact and the MinHash estimate only decides what gets checked. Examples are
/// taken in id order; one is removed when it verifies against an earlier example that is kept, so the first
/// of a group stays and no chain (a~b, b~c, a not~ c) removes an example unlike anything kept.
/// </summary>
public static class NearDuplicates
{
    /// <summary>How far below the threshold a MinHash estimate may fall and still be verified: 0.2 is over four standard deviations at 120 functions.</summary>
    public const double SkipMargin = 0.2;

    private static double Agreement(ReadOnlySpan<uint> a, ReadOnlySpan<uint> b)
    {
        var same = 0;
        for (var i = 0; i < a.Length; i++) same += a[i] == b[i] ? 1 : 0;
        return same / (double)a.Length;
    }

    public static List<DuplicateMatch> Find(ulong[][] shingleSets, double threshold, int bands, int rows, ParallelOptions? parallel = null)
    {
        var count = shingleSets.Length;
        parallel ??= new ParallelOptions();
        var signatures = new MinHash(bands * rows).SignAll(shingleSets, parallel);
        var candidates = LshBands.Candidates(signatures, count, bands, rows, parallel);

        // The signatures estimate each pair's Jaccard (sd at most 0.5/sqrt(k), 0.046 for k = 120) at a fraction of
        // the exact merge's cost: pairs estimated more than SkipMargin below the threshold are not verified.
        var functions = bands * rows;
        var similarity = new double[candidates.Length];
        Parallel.For(0, candidates.Length, parallel, k =>
        {
            var (later, earlier) = candidates[k];
            var estimate = Agreement(signatures.AsSpan(later * functions, functions), signatures.AsSpan(earlier * functions, functions));
            similarity[k] = estimate < threshold - SkipMargin ? 0 : Jaccard.Of(shingleSets[later], shingleSets[earlier]);
        });

        var removed = new bool[count];
        var matches = new List<DuplicateMatch>();
        for (var k = 0; k < candidates.Length;)
        {
            var later = candidates[k].Later;
            var end = k;
            while (end < candidates.Length && candidates[end].Later == later) end++;
            for (var c = k; c < end; c++)
            {
                if (similarity[c] >= threshold && !removed[candidates[c].Earlier])
                {
                    removed[later] = true;
                    matches.Add(new DuplicateMatch(later, candidates[c].Earlier, similarity[c]));
                    break;
                }
            }

            k = end;
        }

        return matches;
    }
}
