using static TorchSharp.torch;

namespace GreenTrain.Trainer.Data.Dedup;

/// <summary>A semantic duplicate: removed in favour of a kept member of the same cluster.</summary>
public readonly record struct SemanticMatch(int Id, int Match, int Cluster, double Cosine);

/// <summary>
/// SemDeDup (Abbas et al. 2023, "SemDeDup: Data-efficient learning at web-scale through semantic
/// deduplication"): cluster the embeddings with k-means; within each cluster take the members from least to
/// most similar to the centroid and drop a member whose cosine similarity to a member already kept exceeds
/// 1 - eps (embeddings are mean-centred, then normalised). So of each group of near-identical embeddings the one least like the centroid (the least
/// prototypical) is kept, as the paper does. Clusters are independent and run in parallel.
/// </summary>
public static class SemanticDuplicates
{
    /// <param name="embeddings">[n, d] float32 (normalised here).</param>
    public static (List<SemanticMatch> Removed, long[] Cluster) Find(Tensor embeddings, int clusters, double eps, long seed)
    {
        using var scope = NewDisposeScope();
        // Centred first: penultimate ReLU features are all non-negative, so raw cosines crowd near 1 and eps loses its meaning.
        var features = embeddings.to(ScalarType.Float32);
        var unit = nn.functional.normalize(features - features.mean([0], keepdim: true), p: 2, dim: 1);
        var (assignment, centroids) = SphericalKMeans.Fit(unit, clusters, seed);
        var members = Enumerable.Range(0, (int)centroids.shape[0]).Select(_ => new List<int>()).ToArray();
        for (var i = 0; i < assignment.Length; i++) members[assignment[i]].Add(i);

        var host = unit.data<float>().ToArray();
        var centre = centroids.data<float>().ToArray();
        var d = (int)unit.shape[1];
        var perCluster = new List<SemanticMatch>[members.Length];
        Parallel.For(0, members.Length, c => perCluster[c] = Within(members[c], c, host, centre.AsSpan(c * d, d).ToArray(), d, 1 - eps));
        return ([.. perCluster.SelectMany(m => m).OrderBy(m => m.Id)], assignment);
    }

    private static List<SemanticMatch> Within(List<int> members, int cluster, float[] vectors, float[] centroid, int d, double maxCosine)
    {
        var ordered = members.OrderBy(i => Dot(vectors, i, centroid, d)).ThenBy(i => i).ToList();
        var kept = new List<int>();
        var removed = new List<SemanticMatch>();
        foreach (var i in ordered)
        {
            var (best, bestCosine) = (-1, double.NegativeInfinity);
            foreach (var k in kept)
            {
                var cosine = Dot(vectors, i, vectors.AsSpan(k * d, d), d);
                if (cosine > bestCosine) (best, bestCosine) = (k, cosine);
            }

            if (best >= 0 && bestCosine > maxCosine) removed.Add(new SemanticMatch(i, best, cluster, bestCosine));
            else kept.Add(i);
        }

        return removed;
    }

    private static double Dot(float[] vectors, int row, ReadOnlySpan<float> other, int d)
    {
        var a = vectors.AsSpan(row * d, d);
        var width = System.Numerics.Vector<float>.Count;
        var sum = System.Numerics.Vector<float>.Zero;
        var i = 0;
        for (; i + width <= d; i += width) sum += new System.Numerics.Vector<float>(a[i..]) * new System.Numerics.Vector<float>(other[i..]);
        var total = System.Numerics.Vector.Sum(sum);
        for (; i < d; i++) total += a[i] * other[i];
        return total;
    }
}
