using System.Text.Json.Serialization;

namespace GreenTrain.ServiceDefaults.Contracts;

/// <summary>
/// The network. Width and depth mean the natural thing for each kind: hidden units and hidden layers
/// (mlp), channels of the first stage and stages (cnn), channels of the first stage and residual
/// blocks per stage (resnet), embedding width and transformer blocks (gpt).
/// </summary>
public sealed record ModelSpec
{
    public ModelKind Kind { get; init; } = ModelKind.Mlp;

    /// <summary>Hidden units (mlp), base channels (cnn, resnet) or embedding width (gpt).</summary>
    public int Width { get; init; } = 128;

    /// <summary>Hidden layers (mlp), conv stages (cnn), blocks per stage (resnet) or transformer blocks (gpt).</summary>
    public int Depth { get; init; } = 2;

    /// <summary>gpt only: attention heads; width must be a multiple of it.</summary>
    public int Heads { get; init; } = 4;

    /// <summary>gpt only: tokens per training sequence.</summary>
    public int ContextLength { get; init; } = 128;

    /// <summary>Dropout probability during training (0 = off).</summary>
    public double Dropout { get; init; }

    /// <summary>gpt only: sparse mixture-of-experts feed-forward blocks (see MoeSpec); left out, every block is dense.</summary>
    public MoeSpec? Moe { get; init; }
}

public enum ModelKind
{
    [JsonStringEnumMemberName("mlp")] Mlp,
    [JsonStringEnumMemberName("cnn")] Cnn,
    [JsonStringEnumMemberName("resnet")] ResNet,
    [JsonStringEnumMemberName("gpt")] Gpt,
}
