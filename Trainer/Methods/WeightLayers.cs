using TorchSharp.Modules;
using static TorchSharp.torch;

namespace GreenTrain.Trainer.Methods;

/// <summary>
/// The layers efficiency methods act on: every linear and convolution layer, by the name of its weight.
/// Embeddings, norms and biases are left alone (they are small, and pruning or quantising them costs
/// accuracy for little gain, as NVIDIA's ASP and PyTorch's default QAT recipe also leave them).
/// </summary>
public static class WeightLayers
{
    /// <summary>A layer: its weight's parameter name (as FlatParameters lays it out) and the module.</summary>
    public sealed record Layer(string WeightName, nn.Module<Tensor, Tensor> Module);

    public static List<Layer> Of(nn.Module module) =>
        [.. module.named_modules()
            .Where(m => m.module is Linear or Conv2d)
            .Select(m => new Layer(m.name.Length == 0 ? "weight" : $"{m.name}.weight", (nn.Module<Tensor, Tensor>)m.module))];
}
