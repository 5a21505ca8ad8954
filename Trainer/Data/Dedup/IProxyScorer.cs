using static TorchSharp.torch;

namespace GreenTrain.Trainer.Data.Dedup;

/// <summary>
/// The model-based stages' view of a model: trained briefly on the given training examples, it returns their
/// penultimate-layer embeddings [n, d] (semantic) and, for classification, their EL2N scores (prune).
/// </summary>
public interface IProxyScorer
{
    (Tensor Embeddings, double[]? El2n) Score(int[] ids, bool el2n);
}
