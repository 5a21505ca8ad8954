using TorchSharp;
using static TorchSharp.torch;

namespace GreenTrain.Trainer.Models;

/// <summary>
/// A network the engine trains: maps a batch of inputs to logits ([B, classes] or [B, T, vocabulary])
/// and knows its own forward cost, so throughput can be reported as FLOP/s and MFU.
/// </summary>
public interface INetwork
{
    nn.Module<Tensor, Tensor> Module { get; }

    /// <summary>Floating-point operations (a multiply-add is two) of one forward pass over one example.</summary>
    double ForwardFlopsPerExample { get; }
}
