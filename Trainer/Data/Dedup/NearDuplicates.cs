namespace GreenTrain.Trainer.Data.Dedup;

/// <summary>A removed example and the kept one it duplicates, with their measured similarity.</summary>
public readonly record struct DuplicateMatch(int Id, int Match, double Similarity);

/// <summary>
/// Near duplicates: MinHash signatures, LSH candidates, then every candidate pair verified on its exact
/// Jaccard, so the threshold is exact and the MinHash estimate only decides what gets checked. Examples are
/// taken in id order; one is removed when it verifies against an earlier example that is kept, so the first
/// of a group stays and no chain (a~b, b~c, a not~ c) removes an example unlike anything kept.
/// </summary>
public static class NearDuplicates
{
    public static List<DuplicateMatch> Find(ulong[][] shingleSets, double threshold, int bands, int rows)
    {
        var count = shingleSets.Length;
        var signatures = new MinHash(bands * rows).SignAll(shingleSets);
        var candidates = LshBands.Candidates(signatures, count, bands, rows);

        var similarity = new double[candidates.Length];
        Parallel.For(0, candidates.Length, k => similarity[k] = Jaccard.Of(shingleSets[candidates[k].Later], shingleSets[candidates[k].Earlier]));

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
