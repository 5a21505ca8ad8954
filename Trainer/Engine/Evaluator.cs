using GreenTrain.Trainer.Data;
using GreenTrain.Trainer.Models;
using static TorchSharp.torch;

namespace GreenTrain.Trainer.Engine;

/// <summary>Mean cross-entropy and accuracy of a network over a split, in order, without gradients, with one host sync.</summary>
public static class Evaluator
{
    public static (double Loss, double? Accuracy) Evaluate(INetwork network, IDataSplit split, int batchSize, int? maxBatches, ScalarType inputType)
    {
        var module = network.Module;
        var wasTraining = module.training;
        module.eval();
        try
        {
            using var noGrad = no_grad();
            using var scope = NewDisposeScope();
            var device = network.Module.parameters().First().device;
            var lossSum = zeros(1, ScalarType.Float64, device);
            var correct = zeros(1, ScalarType.Int64, device);
            long targets = 0;
            var batches = (split.Count + batchSize - 1) / batchSize;
            if (maxBatches is { } max) batches = Math.Min(batches, max);
            for (long b = 0; b < batches; b++)
            {
                using var batchScope = NewDisposeScope();
                var start = b * batchSize;
                var count = Math.Min(batchSize, split.Count - start);
                var indices = arange(start, start + count, dtype: ScalarType.Int64, device: device);
                var batch = split.Gather(indices);
                var input = batch.Input.is_floating_point() ? batch.Input.to(inputType) : batch.Input;
                var logits = network.Module.forward(input).to(ScalarType.Float32);
                var flatLogits = logits.reshape(-1, logits.shape[^1]);
                var flatTargets = batch.Target.reshape(-1);
                lossSum.add_(nn.functional.cross_entropy(flatLogits, flatTargets, reduction: nn.Reduction.Sum));
                correct.add_(flatLogits.argmax(1).eq(flatTargets).sum());
                targets += flatTargets.shape[0];
            }

            var loss = lossSum.item<double>() / Math.Max(1, targets);
            // For a language model this is next-token accuracy: reported, but runs rank by loss.
            double? accuracy = targets > 0 ? (double)correct.item<long>() / targets : null;
            return (loss, accuracy);
        }
        finally
        {
            module.train(wasTraining);
        }
    }
}
