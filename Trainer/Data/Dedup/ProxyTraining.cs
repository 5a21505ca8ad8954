using GreenTrain.ServiceDefaults.Contracts;
using GreenTrain.Trainer.Engine;
using GreenTrain.Trainer.Models;
using Microsoft.Extensions.Logging;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace GreenTrain.Trainer.Data.Dedup;

/// <summary>
/// The short run of the spec's own model that the semantic and prune stages score with: no download, the same
/// architecture the user trains. fp32, no target or early stop, one validation batch at the end.
/// </summary>
public static class ProxyTraining
{
    public static int Steps(DedupSpec spec) => Math.Max(spec.Semantic?.ProxySteps ?? 0, spec.Prune?.ScoreSteps ?? 0);

    public static TrainingState Train(ExperimentSpec spec, int steps, ITrainingData data, Device device, int threads, ILogger logger)
    {
        var training = spec.Training with
        {
            Steps = steps,
            Epochs = null,
            Precision = PrecisionKind.Fp32,
            Target = null,
            EarlyStopping = null,
            EvalEverySteps = steps + 1,
            EvalBatches = 1,
            Schedule = spec.Training.Schedule with { WarmupSteps = Math.Min(spec.Training.Schedule.WarmupSteps, steps / 10) },
        };
        // No methods: the proxy is a plain fp32 model, whatever the spec's precision and training.methods ask of the real run.
        var state = TrainingSession.Prepare(spec with { Training = training }, device, threads, data, methods: []);
        new TrainingLoop([], logger).Run(state);
        state.Network.Module.eval();
        return state;
    }

    /// <summary>The network's output and the input of its last layer (classifier or head): the penultimate features.</summary>
    public static (Tensor Logits, Tensor Features) Forward(INetwork network, Tensor input)
    {
        var head = network.Module.named_modules()
            .Last(m => m.module is Linear && (m.name.EndsWith("classifier", StringComparison.Ordinal) || m.name.EndsWith("head", StringComparison.Ordinal))).module as Linear
            ?? throw new InvalidOperationException("The model has no classifier or head layer to take embeddings from.");
        Tensor? features = null;
        var hook = head.register_forward_pre_hook((_, x) =>
        {
            features = x.detach().clone();
            return x;
        });
        try
        {
            var logits = network.Module.forward(input);
            return (logits, features ?? throw new InvalidOperationException("The head layer did not run."));
        }
        finally
        {
            hook.remove();
        }
    }
}
