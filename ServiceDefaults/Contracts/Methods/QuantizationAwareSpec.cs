namespace GreenTrain.ServiceDefaults.Contracts.Methods;

/// <summary>
/// Quantization-aware training (Jacob et al., 2018), to int8 unless told fewer bits: after a delay, the forward
/// pass computes with fake-quantised weights (symmetric, one scale per output channel, `bits` wide) and
/// fake-quantised inputs of every linear and convolution layer (affine, one range per tensor, `activationBits`
/// wide, tracked as an exponential moving average, optionally frozen late in the run); gradients pass straight
/// through the rounding. At the end the model is exported as its weight levels in int8 containers with their
/// scales (the widths in the file's header) and that export is scored on the test split.
/// </summary>
public sealed record QuantizationAwareSpec : MethodSpec
{
    /// <summary>Fraction of the run trained in float before fake quantization starts.</summary>
    public double DelayFraction { get; init; } = 0.3;

    /// <summary>Weight of the old range in the moving average of activation ranges (PyTorch's observer uses 0.99).</summary>
    public double RangeMomentum { get; init; } = 0.99;

    /// <summary>
    /// Fraction of the run after which the activation ranges stop updating, so the last steps train against the
    /// exact ranges the export will hold (Krishnamoorthi, 2018, arXiv:1806.08342, freezes them late in training);
    /// null keeps observing to the end.
    /// </summary>
    public double? FreezeRangesFraction { get; init; }

    /// <summary>Fake-quantise layer inputs as well as weights; false quantises weights only.</summary>
    public bool QuantizeActivations { get; init; } = true;

    /// <summary>
    /// Weight bit width, 2 to 8: levels -(2^(bits-1) - 1) .. 2^(bits-1) - 1 per output channel (8: -127..127; 4: -7..7).
    /// Below 8 is where QAT earns its cost: at 8 bits post-training quantization of the dense model is already lossless.
    /// </summary>
    public int Bits { get; init; } = 8;

    /// <summary>Activation (layer input) bit width, 2 to 8: 2^activationBits levels per tensor. Separate from bits because the low-bit setting usually reported is W4A8.</summary>
    public int ActivationBits { get; init; } = 8;

    public override IEnumerable<(string Field, string Message)> Validate()
    {
        if (!IsFraction(DelayFraction, 0, 1) || DelayFraction >= 1) yield return ("delayFraction", "must be >= 0 and < 1");
        if (!(RangeMomentum >= 0 && RangeMomentum < 1)) yield return ("rangeMomentum", "must be >= 0 and < 1");
        if (!(Bits >= 2 && Bits <= 8)) yield return ("bits", "must be an integer from 2 to 8");
        if (!(ActivationBits >= 2 && ActivationBits <= 8)) yield return ("activationBits", "must be an integer from 2 to 8");
        if (FreezeRangesFraction is { } freeze && !(freeze > DelayFraction && freeze <= 1)) yield return ("freezeRangesFraction", "must be > delayFraction and <= 1");
    }
}
