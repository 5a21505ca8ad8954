using GreenTrain.Trainer.Data;

namespace GreenTrain.Benchmarks.Support;

/// <summary>
/// One data set lent to every run of a benchmark (decoding Fashion-MNIST or the corpus takes seconds, and the runs
/// compared must see the same examples): a training state disposes its data when it ends, so it gets this view,
/// whose Dispose leaves the data open for the next run. The benchmark disposes the data itself at the end.
/// </summary>
internal sealed class BorrowedData(ITrainingData inner) : ITrainingData
{
    public string Name => inner.Name;

    public DataTask Task => inner.Task;

    public long[] ExampleShape => inner.ExampleShape;

    public int Classes => inner.Classes;

    public IDataSplit Train => inner.Train;

    public IDataSplit Validation => inner.Validation;

    public IDataSplit Test => inner.Test;

    public void Dispose()
    {
    }
}
