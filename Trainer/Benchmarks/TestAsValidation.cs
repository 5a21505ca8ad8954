using GreenTrain.Trainer.Data;

namespace GreenTrain.Trainer.Benchmarks;

/// <summary>Evaluates on the test split: "time to 91% test accuracy" is measured the same way by the PyTorch reference.</summary>
public sealed class TestAsValidation(ITrainingData inner) : ITrainingData
{
    public string Name => inner.Name;

    public DataTask Task => inner.Task;

    public long[] ExampleShape => inner.ExampleShape;

    public int Classes => inner.Classes;

    public IDataSplit Train => inner.Train;

    public IDataSplit Validation => inner.Test;

    public IDataSplit Test => inner.Test;

    public void Dispose() => inner.Dispose();
}
