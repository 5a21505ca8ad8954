using static TorchSharp.torch;

namespace GreenTrain.Trainer.Data.Dedup;

/// <summary>
/// k-means on unit vectors with cosine similarity (the clustering SemDeDup uses), as matrix products on
/// LibTorch's CPU threads. Seeded: the first centroids are k examples picked by DataOrder, so a run and its
/// resume cluster the same way.
/// </summary>
public static class SphericalKMeans
{
    /// <param name="embeddings">[n, d] float32, each row of unit length.</param>
    /// <returns>The cluster of each row and the centroids [k, d] (unit length).</returns>
    public static (long[] Assignment, Tensor Centroids) Fit(Tensor embeddings, int clusters, long seed, int iterations = 20)
    {
        using var scope = NewDisposeScope();
        var n = embeddings.shape[0];
        clusters = (int)Math.Min(clusters, n);
        var first = DataOrder.Permutation(n, seed, epoch: 0)[..clusters];
        var centroids = embeddings.index_select(0, tensor(first));
        var assignment = zeros(n, dtype: ScalarType.Int64);
        for (var iteration = 0; iteration < iterations; iteration++)
        {
            var next = embeddings.matmul(centroids.t()).argmax(1);
            var moved = next.ne(assignment).sum().item<long>();
            assignment = next;
            var sums = zeros(clusters, embeddings.shape[1]).index_add_(0, assignment, embeddings, 1);
            var norms = sums.norm(1, keepdim: true);
            // An empty cluster keeps its old centroid rather than becoming a zero vector.
            centroids = where(norms.gt(1e-12), sums / norms.clamp_min(1e-12), centroids);
            if (moved == 0) break;
        }

        return (assignment.data<long>().ToArray(), centroids.MoveToOuterDisposeScope());
    }
}
