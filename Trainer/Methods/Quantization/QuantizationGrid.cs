namespace GreenTrain.Trainer.Methods.Quantization;

/// <summary>
/// The bit widths of a quantised model: weights on a symmetric grid of 2^(b-1) - 1 levels either side of zero
/// (one scale per output channel; 4 bits: -7..7), layer inputs on an affine grid of 2^b levels (one range per
/// tensor; 8 bits: -128..127). Whatever the widths, values are stored in int8 containers; W4A8 (4-bit weights,
/// 8-bit activations) is the usual low-bit setting (Nagel et al., 2021, arXiv:2106.08295).
/// </summary>
public sealed record QuantizationGrid(int WeightBits, int ActivationBits)
{
    public const int MinBits = 2;
    public const int MaxBits = 8;

    /// <summary>int8 weights and activations, what every file without a grid in its header holds.</summary>
    public static readonly QuantizationGrid Int8 = new(8, 8);

    /// <summary>"int8" for 8/8, otherwise "W4A8" style.</summary>
    public override string ToString() => this == Int8 ? "int8" : $"W{WeightBits}A{ActivationBits}";
}
