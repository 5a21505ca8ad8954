using GreenTrain.ServiceDefaults.Contracts;

namespace GreenTrain.Trainer.Export;

/// <summary>
/// DIR/model.json: what someone needs to rebuild the network in PyTorch before loading the weights. The sizes are
/// the spec's model section resolved against the data set (input shape, classes or vocabulary), so no GreenTrain
/// code is needed to read it. Parameter names follow the TorchSharp modules (e.g. `layers.linear0.weight` for an
/// MLP, see Trainer/Models), which the equivalent torch module reproduces.
/// </summary>
/// <param name="Format">Identifies the file: "greentrain-model/1".</param>
/// <param name="Kind">mlp, cnn, resnet or gpt.</param>
/// <param name="InputShape">One example's shape: [features], [channels, height, width] or [context].</param>
/// <param name="Classes">Output classes, or the vocabulary size of a language model.</param>
/// <param name="Tensors">Every tensor in the fp32 weight files with its shape, in file order.</param>
/// <param name="Exports">The int8 and sparse exports beside the fp32 files, when the run trained for them (CompressedModelFiles).</param>
public sealed record ModelArchitecture(
    string Format,
    string Kind,
    long[] InputShape,
    int Classes,
    int Width,
    int Depth,
    int? Heads,
    int? ContextLength,
    double Dropout,
    string Dtype,
    string Dataset,
    IReadOnlyDictionary<string, long[]> Tensors,
    IReadOnlyList<ModelFileSet>? Exports = null)
{
    public const string CurrentFormat = "greentrain-model/1";

    public static ModelArchitecture From(ModelSpec model, string dataset, long[] inputShape, int classes, IReadOnlyDictionary<string, long[]> tensors) => new(
        CurrentFormat,
        model.Kind.ToString().ToLowerInvariant(),
        inputShape,
        classes,
        model.Width,
        model.Depth,
        model.Kind == ModelKind.Gpt ? model.Heads : null,
        model.Kind == ModelKind.Gpt ? model.ContextLength : null,
        model.Dropout,
        "float32",
        dataset,
        tensors);
}
