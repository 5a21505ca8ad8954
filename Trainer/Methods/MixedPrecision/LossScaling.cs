using static TorchSharp.torch;

namespace GreenTrain.Trainer.Methods.MixedPrecision;

/// <summary>The dynamic loss scale and how many good steps it has survived.</summary>
public sealed record LossScalerState(double Scale, int GoodSteps);

/// <summary>PyTorch GradScaler's defaults: start at 2^16, halve on overflow, double after 2,000 good steps.</summary>
public sealed record LossScalerSettings(double InitialScale = 65536, double GrowthFactor = 2, double BackoffFactor = 0.5, int GrowthInterval = 2000, double MinScale = 1.0 / 65536);

/// <summary>
/// Dynamic loss scaling for fp16 (Micikevicius et al., 2018): multiply the loss so small gradients
/// survive fp16's narrow range, divide the gradients back in fp32, and skip any step whose gradients
/// overflowed, lowering the scale; raise it again after a run of good steps.
/// </summary>
public static class LossScaling
{
    /// <summary>The scale after a step: backed off (and the run of good steps reset) on overflow, grown after GrowthInterval good steps.</summary>
    public static LossScalerState Next(LossScalerState current, bool overflow, LossScalerSettings settings)
    {
        if (overflow)
        {
            return new LossScalerState(Math.Max(settings.MinScale, current.Scale * settings.BackoffFactor), 0);
        }

        var good = current.GoodSteps + 1;
        return good >= settings.GrowthInterval
            ? new LossScalerState(current.Scale * settings.GrowthFactor, 0)
            : current with { GoodSteps = good };
    }

    /// <summary>Divides the fp32 gradients by the scale in place; true when any of them is infinite or NaN (one host sync).</summary>
    public static bool UnscaleAndFindOverflow(Tensor masterGradients, double scale)
    {
        masterGradients.mul_(1.0 / scale);
        using var sum = masterGradients.sum();
        return !float.IsFinite(sum.item<float>());
    }
}
