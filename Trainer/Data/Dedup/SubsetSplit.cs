using static TorchSharp.torch;

namespace GreenTrain.Trainer.Data.Dedup;

/// <summary>The kept examples of a split, without copying them: index i of the subset is example kept[i] of the split.</summary>
public sealed class SubsetSplit : IDataSplit, IDisposable
{
    private readonly IDataSplit _inner;
    private readonly Tensor _kept;

    public SubsetSplit(IDataSplit inner, IReadOnlyCollection<int> kept, Device device)
    {
        _inner = inner;
        _kept = tensor(kept.Select(i => (long)i).ToArray(), ScalarType.Int64).to(device).DetachFromDisposeScope();
    }

    public long Count => _kept.shape[0];

    public long TargetsPerExample => _inner.TargetsPerExample;

    public Batch Gather(Tensor indices)
    {
        using var original = _kept.index_select(0, indices);
        return _inner.Gather(original);
    }

    public void Dispose() => _kept.Dispose();
}

/// <summary>A data set whose training split is cut to the kept examples; validation and test stay whole.</summary>
public sealed class DeduplicatedData(ITrainingData inner, IReadOnlyCollection<int> kept, Device device, bool ownsInner = true) : ITrainingData
{
    private readonly SubsetSplit _train = new(inner.Train, kept, device);

    public string Name => inner.Name;

    public DataTask Task => inner.Task;

    public long[] ExampleShape => inner.ExampleShape;

    public int Classes => inner.Classes;

    public IDataSplit Train => _train;

    public IDataSplit Validation => inner.Validation;

    public IDataSplit Test => inner.Test;

    public void Dispose()
    {
        _train.Dispose();
        if (ownsInner) inner.Dispose();
    }
}
