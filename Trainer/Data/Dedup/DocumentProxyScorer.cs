using GreenTrain.ServiceDefaults.Contracts;
using Microsoft.Extensions.Logging;
using static TorchSharp.torch;

namespace GreenTrain.Trainer.Data.Dedup;

/// <summary>
/// Scores training documents with the spec's GPT after a short run on them: a document's embedding is the
/// mean, over its first context-length tokens, of the input of the language-model head.
/// </summary>
public sealed class DocumentProxyScorer(ExperimentSpec spec, DocumentSplits splits, Device device, int threads, ILogger logger) : IProxyScorer
{
    private const int BatchSize = 64;

    public (Tensor Embeddings, double[]? El2n) Score(int[] ids, bool el2n)
    {
        if (el2n) throw new InvalidOperationException("EL2N needs labelled examples; text has none.");
        var documents = ids.Select(i => splits.Train[i]).ToList();
        var trainOnly = splits with { Train = documents, TrainSources = [.. ids.Select(i => splits.TrainSources[i])] };
        var data = TextCorpusData.FromDocuments(trainOnly, spec.Dataset, spec.Model.ContextLength, device);
        using var state = ProxyTraining.Train(spec, ProxyTraining.Steps(spec.Dataset.Dedup!), data, device, threads, logger); // owns data
        using var noGrad = no_grad();
        var context = spec.Model.ContextLength;
        var pad = TextTokenizer.Encode("\n", spec.Dataset.Tokenizer)[0];
        var features = new List<Tensor>();
        for (var start = 0; start < documents.Count; start += BatchSize)
        {
            using var scope = NewDisposeScope();
            var count = Math.Min(BatchSize, documents.Count - start);
            var tokens = Enumerable.Repeat(pad, count * context).ToArray();
            var mask = new float[count * context];
            for (var b = 0; b < count; b++)
            {
                var encoded = TextTokenizer.Encode(documents[start + b], spec.Dataset.Tokenizer);
                var length = Math.Max(1, Math.Min(context, encoded.Length));
                Array.Copy(encoded, 0, tokens, b * context, Math.Min(context, encoded.Length));
                for (var t = 0; t < length; t++) mask[b * context + t] = 1;
            }

            var input = tensor(tokens, [count, context], ScalarType.Int64).to(device);
            var weights = tensor(mask, [count, context, 1]).to(device);
            var (_, hidden) = ProxyTraining.Forward(state.Network, input);
            features.Add((hidden * weights).sum(1).div(weights.sum(1)).cpu().MoveToOuterDisposeScope());
        }

        var embeddings = cat(features, 0);
        foreach (var f in features) f.Dispose();
        return (embeddings, null);
    }
}
