using static TorchSharp.torch;

namespace GreenTrain.Trainer.Engine.Optimizers;

/// <summary>An optimizer over FlatParameters' master buffer: a few kernels per step, whatever the number of parameters.</summary>
public interface IFlatOptimizer : IDisposable
{
    /// <summary>Updates Master from MasterGrad with this step's learning rate.</summary>
    void Step(double learningRate);

    /// <summary>Steps taken (AdamW's bias correction depends on it); set only when restoring a checkpoint.</summary>
    long Steps { get; set; }

    /// <summary>The optimizer's tensors by name, for checkpoints.</summary>
    IReadOnlyDictionary<string, Tensor> State { get; }
}
