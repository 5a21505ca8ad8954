using GreenTrain.ServiceDefaults.Contracts;
using Microsoft.Extensions.Logging;
using static TorchSharp.torch;

namespace GreenTrain.Trainer.Data.Dedup;

/// <summary>Scores training examples of a classification data set with the spec's model after a short run on them.</summary>
public sealed class ImageProxyScorer(ExperimentSpec spec, ITrainingData data, Device device, int threads, ILogger logger) : IProxyScorer
{
    private const int BatchSize = 512;

    public (Tensor Embeddings, double[]? El2n) Score(int[] ids, bool el2n)
    {
        var subset = new DeduplicatedData(data, ids, device, ownsInner: false); // the proxy state disposes it
        using var state = ProxyTraining.Train(spec, ProxyTraining.Steps(spec.Dataset.Dedup!), subset, device, threads, logger);
        using var noGrad = no_grad();
        var features = new List<Tensor>();
        var probabilities = new List<float>();
        var labels = new List<long>();
        for (long start = 0; start < subset.Train.Count; start += BatchSize)
        {
            using var scope = NewDisposeScope();
            using var indices = arange(start, Math.Min(start + BatchSize, subset.Train.Count), dtype: ScalarType.Int64, device: device);
            using var batch = subset.Train.Gather(indices);
            var (logits, penultimate) = ProxyTraining.Forward(state.Network, batch.Input);
            features.Add(penultimate.flatten(1).cpu().MoveToOuterDisposeScope());
            if (!el2n) continue;
            probabilities.AddRange(logits.softmax(1).cpu().data<float>().ToArray());
            labels.AddRange(batch.Target.cpu().data<long>().ToArray());
        }

        var embeddings = cat(features, 0);
        foreach (var f in features) f.Dispose();
        return (embeddings, el2n ? El2nPruning.Scores([.. probabilities], [.. labels], data.Classes) : null);
    }
}
