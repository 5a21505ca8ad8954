using System.Diagnostics;
using GreenTrain.ServiceDefaults.Contracts;

namespace GreenTrain.Trainer.Data.Dedup;

/// <summary>What the pipeline kept (ids in ascending order), what it removed, and each stage's count and time.</summary>
public sealed record DedupOutcome(int[] Kept, List<RemovedExample> Removed, List<DedupStageSummary> Stages)
{
    /// <summary>The profile: wall and CPU seconds of each part (the near stage as features and matching; the split check as its own parts).</summary>
    public List<StageCost> Costs { get; init; } = [];

    /// <summary>The near stage's LSH index, when it compared feature vectors: the split check queries it instead of building another.</summary>
    public NearReference? NearReference { get; init; }
}

/// <summary>The near stage's index and, for each of its rows, the example's id in the training split.</summary>
public sealed record NearReference(SignBitIndex Index, int[] Ids);

/// <summary>
/// Runs the stages a DedupSpec asks for, in order (exact, near, semantic, prune), each on what the ones before
/// kept, and records why each example went. Semantic and prune share one proxy run (IProxyScorer). Its loops use at
/// most <paramref name="threads"/> cores (the run's CPU threads): under a worker the lease heartbeats need the rest.
/// </summary>
public sealed class DedupPipeline(DedupSpec spec, IDedupExamples examples, IProxyScorer? proxy, long seed, string split = "train", int? threads = null)
{
    private readonly ParallelOptions _parallel = DedupParallel.Options(threads);
    private NearReference? _nearReference;

    public DedupOutcome Run()
    {
        var kept = Enumerable.Range(0, examples.Count).ToArray();
        var removed = new List<RemovedExample>();
        var stages = new List<DedupStageSummary>();
        var costs = new List<StageCost>();
        var profile = new StageClock(costs);

        void Stage(string name, Func<int[], List<RemovedExample>> run, bool parts = false)
        {
            var clock = Stopwatch.StartNew();
            var input = kept;
            var gone = parts ? run(input) : profile.Measure(name, input.Length, () => run(input));
            var seconds = clock.Elapsed.TotalSeconds;
            stages.Add(new DedupStageSummary(name, kept.Length, gone.Count, seconds, kept.Length / Math.Max(seconds, 1e-9)));
            var ids = gone.Select(g => g.Id).ToHashSet();
            kept = [.. kept.Where(id => !ids.Contains(id))];
            removed.AddRange(gone);
        }

        if (spec.Exact) Stage("exact", Exact);
        if (spec.Near is { } near) Stage("near", ids => Near(ids, near, profile), parts: true);
        if (spec.Semantic is not null || spec.Prune is not null)
        {
            var needsProxy = proxy ?? throw new InvalidOperationException("The semantic and prune stages need a proxy model.");
            double[]? scores = null;
            var scoredIds = kept;
            if (spec.Semantic is { } semantic)
            {
                Stage("semantic", ids =>
                {
                    var (embeddings, el2n) = needsProxy.Score(ids, spec.Prune is not null);
                    using var owned = embeddings;
                    scores = el2n;
                    var clusters = semantic.Clusters > 0 ? semantic.Clusters : Math.Max(1, (int)Math.Sqrt(ids.Length / 2.0));
                    var (matches, _) = SemanticDuplicates.Find(embeddings, clusters, semantic.Eps, seed);
                    return [.. matches.Select(m => Entry(ids[m.Id], "semantic", ids[m.Match], m.Cosine) with { Cluster = m.Cluster })];
                });
            }

            if (spec.Prune is { } prune)
            {
                Stage("prune", ids =>
                {
                    if (scores is null) (_, scores) = DisposeEmbeddings(needsProxy.Score(ids, el2n: true));
                    var byId = scoredIds.Select((id, k) => (id, k)).ToDictionary(p => p.id, p => scores![p.k]);
                    var current = ids.Select(id => byId.TryGetValue(id, out var s) ? s : 0).ToArray();
                    return [.. El2nPruning.Pruned(current, prune.KeepFraction).Order().Select(k => Entry(ids[k], "prune") with { Score = current[k] })];
                });
            }
        }

        return new DedupOutcome(kept, removed, stages) { Costs = costs, NearReference = _nearReference };
    }

    private List<RemovedExample> Exact(int[] ids)
    {
        var matches = ExactDuplicates.Find(ids.Length, k => examples.Content(ids[k]), _parallel);
        return [.. Enumerable.Range(0, ids.Length).Where(k => matches[k] >= 0).Select(k => Entry(ids[k], "exact", ids[matches[k]], 1))];
    }

    private List<RemovedExample> Near(int[] ids, NearDedupSpec near, StageClock profile)
    {
        List<DuplicateMatch> found;
        if (examples is IVectorExamples vectors)
        {
            var dimensions = vectors.Dimensions(near);
            var features = profile.Measure("near features", ids.Length, () => vectors.Features(ids, near, _parallel));
            var index = SignBitIndex.Build(features, dimensions, seed, _parallel, profile);
            found = VectorNearDuplicates.Find(index, near.ImageCosine, near.ImageDifference, _parallel, profile);
            _nearReference = new NearReference(index, ids);
        }
        else
        {
            var shingles = profile.Measure("near features", ids.Length, () =>
            {
                var sets = new ulong[ids.Length][];
                Parallel.For(0, ids.Length, _parallel, k => sets[k] = examples.Shingles(ids[k], near));
                return sets;
            });
            found = profile.Measure("near match", ids.Length, () => NearDuplicates.Find(shingles, near.Threshold, near.Bands, near.Rows, _parallel));
        }

        return [.. found.Select(m => Entry(ids[m.Id], "near", ids[m.Match], m.Similarity))];
    }

    private RemovedExample Entry(int id, string stage, int? match = null, double? similarity = null) => new()
    {
        Split = split,
        Id = id,
        Source = examples.Source(id),
        Stage = stage,
        Match = match,
        MatchSource = match is { } m ? examples.Source(m) : null,
        Similarity = similarity,
    };

    private static (TorchSharp.torch.Tensor?, double[]?) DisposeEmbeddings((TorchSharp.torch.Tensor Embeddings, double[]? El2n) scored)
    {
        scored.Embeddings.Dispose();
        return (null, scored.El2n);
    }
}
