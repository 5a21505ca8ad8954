using GreenTrain.Trainer.Data.Dedup;
using static TorchSharp.torch;

namespace GreenTrain.Trainer.Tests.Data.Dedup;

public sealed class SemanticAndPruningTests
{
    [Fact]
    public void SemDeDup_keeps_the_member_least_like_the_centroid_and_drops_its_near_copies()
    {
        // One cluster: three almost identical vectors near the centroid direction, one distinct vector.
        float[,] rows =
        {
            { 1f, 0.10f, 0f },
            { 1f, 0.11f, 0f },
            { 1f, 0.12f, 0f },
            { 0.2f, 1f, 0f },
        };
        using var embeddings = tensor(rows);

        var (removed, cluster) = SemanticDuplicates.Find(embeddings, clusters: 1, eps: 0.01, seed: 1);

        cluster.Should().OnlyContain(c => c == 0);
        // Row 3 pulls the centroid towards the second axis, so of the three row 0 (smallest second coordinate) is least like it and is kept.
        removed.Select(r => (r.Id, r.Match)).Should().BeEquivalentTo([(1, 0), (2, 0)]);
        removed.Should().OnlyContain(r => r.Cosine > 0.99);
    }

    [Fact]
    public void Nothing_is_semantic_duplicate_when_eps_is_below_every_pair()
    {
        using var embeddings = eye(5);

        SemanticDuplicates.Find(embeddings, clusters: 2, eps: 0.5, seed: 1).Removed.Should().BeEmpty();
    }

    [Fact]
    public void El2n_is_the_norm_of_the_error_and_pruning_drops_the_easiest()
    {
        float[] probabilities = [0.9f, 0.1f, 0.5f, 0.5f, 0.2f, 0.8f];
        long[] labels = [0, 0, 0];

        var scores = El2nPruning.Scores(probabilities, labels, classes: 2);

        scores[0].Should().BeApproximately(Math.Sqrt(0.01 + 0.01), 1e-6);
        scores[2].Should().BeApproximately(Math.Sqrt(0.64 + 0.64), 1e-6);
        El2nPruning.Pruned(scores, keepFraction: 2 / 3.0).Should().Equal(0);
    }
}
