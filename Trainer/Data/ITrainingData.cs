using static TorchSharp.torch;

namespace GreenTrain.Trainer.Data;

/// <summary>What a data set teaches: a label per example, or the next token at every position.</summary>
public enum DataTask
{
    Classification,
    LanguageModel,
}

/// <summary>
/// A data set ready to train on: three splits already on the training device, and what a model needs
/// to know to fit it. Every data set (digits, Fashion-MNIST, text) hides behind this.
/// </summary>
public interface ITrainingData : IDisposable
{
    string Name { get; }

    DataTask Task { get; }

    /// <summary>The shape of one input example: [channels, height, width] for images, [context] for text.</summary>
    long[] ExampleShape { get; }

    /// <summary>Classes (classification) or vocabulary size (language model).</summary>
    int Classes { get; }

    IDataSplit Train { get; }

    IDataSplit Validation { get; }

    IDataSplit Test { get; }
}

/// <summary>A fixed set of examples on the device, read by index so that any order costs one gather.</summary>
public interface IDataSplit
{
    long Count { get; }

    /// <summary>Targets per example: 1 for a label, the context length for next-token prediction.</summary>
    long TargetsPerExample { get; }

    /// <summary>The examples at the given indices (int64, on the split's device), as model input and targets.</summary>
    Batch Gather(Tensor indices);
}

/// <summary>One batch on the device: input (float images or int64 tokens) and int64 targets.</summary>
public sealed record Batch(Tensor Input, Tensor Target) : IDisposable
{
    public long Examples => Input.shape[0];

    public void Dispose()
    {
        Input.Dispose();
        Target.Dispose();
    }
}
