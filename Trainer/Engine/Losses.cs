using GreenTrain.Trainer.Data;
using static TorchSharp.torch;

namespace GreenTrain.Trainer.Engine;

/// <summary>The default criterion of a run.</summary>
public static class Losses
{
    /// <summary>Logits in any precision, scored in fp32 (as autocast does): [B, C] with [B], or [B, T, V] with [B, T].</summary>
    public static Tensor CrossEntropy(Tensor logits, Batch batch) =>
        nn.functional.cross_entropy(logits.reshape(-1, logits.shape[^1]).to(ScalarType.Float32), batch.Target.reshape(-1));
}
