using static TorchSharp.torch;

namespace GreenTrain.Trainer.Methods.MixedPrecision;

/// <summary>The two copies mixed precision keeps in step: 16-bit gradients into fp32 master gradients, fp32 master weights into 16-bit compute weights.</summary>
public static class PrecisionCasts
{
    /// <summary>Adds this micro-batch's 16-bit gradients to the fp32 sum (so accumulation happens in fp32) and clears them.</summary>
    public static void AccumulateIntoMaster(Tensor computeGradients, Tensor masterGradients)
    {
        masterGradients.add_(computeGradients);
        computeGradients.zero_();
    }

    public static ScalarType ComputeType(GreenTrain.ServiceDefaults.Contracts.PrecisionKind precision) => precision switch
    {
        GreenTrain.ServiceDefaults.Contracts.PrecisionKind.Bf16 => ScalarType.BFloat16,
        GreenTrain.ServiceDefaults.Contracts.PrecisionKind.Fp16 => ScalarType.Float16,
        _ => ScalarType.Float32,
    };
}
