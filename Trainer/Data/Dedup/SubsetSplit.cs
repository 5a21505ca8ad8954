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

/// <summary>
/// A data set whose training split is cut to the kept examples; the validation and test splits are cut too when
/// the leakage check removed some of theirs (KeptValidation, KeptTest), and otherwise stay whole.
/// </summary>
public sealed class DeduplicatedData(ITrainingData inner, IReadOnlyCollection<int> kept, Device device, bool ownsInner = true) : ITrainingData
{
    private readonly SubsetSplit _train = new(inner.Train, kept, device);
    private SubsetSplit? _validation;
    private SubsetSplit? _test;

    public string Name => inner.Name;

    public DataTask Task => inner.Task;

    public long[] ExampleShape => inner.ExampleShape;

    public int Classes => inner.Classes;

    public IDataSplit Train => _train;

    /// <summary>The validation examples to keep (positions in the inner split); null keeps them all.</summary>
    public IReadOnlyCollection<int>? KeptValidation { init => _validation = value is null ? null : new SubsetSplit(inner.Validation, value, device); }

    /// <summary>The test examples to keep; null keeps them all.</summary>
    public IReadOnlyCollection<int>? KeptTest { init => _test = value is null ? null : new SubsetSplit(inner.Test, value, device); }

    public IDataSplit Validation => (IDataSplit?)_validation ?? inner.Validation;

    public IDataSplit Test => (IDataSplit?)_test ?? inner.Test;

    public void Dispose()
    {
        _train.Dispose();
        _validation?.Dispose();
        _test?.Dispose();
        if (ownsInner) inner.Dispose();
    }
}
