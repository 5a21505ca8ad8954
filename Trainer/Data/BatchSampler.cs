using static TorchSharp.torch;

namespace GreenTrain.Trainer.Data;

/// <summary>
/// Deals batches from a split in the order DataOrder gives for (seed, epoch), crossing into the next
/// epoch when fewer than a batch of examples remain (those few are dropped, so every batch is full
/// and every step costs the same). Start it at any cursor to resume.
/// </summary>
public sealed class BatchSampler : IDisposable
{
    private readonly IDataSplit _split;
    private readonly int _batchSize;
    private readonly long _seed;
    private readonly Device _device;
    private Tensor? _order;
    private long _orderEpoch = -1;

    public BatchSampler(IDataSplit split, int batchSize, long seed, Device device, DataCursor start = default)
    {
        if (split.Count < batchSize)
        {
            throw new InvalidOperationException($"The training split has {split.Count} examples, fewer than one batch of {batchSize}; use a smaller batchSize.");
        }

        _split = split;
        _batchSize = batchSize;
        _seed = seed;
        _device = device;
        Cursor = start;
    }

    public DataCursor Cursor { get; private set; }

    /// <summary>Full batches per pass over the split.</summary>
    public long BatchesPerEpoch => _split.Count / _batchSize;

    /// <summary>Passes completed so far, with the fraction of the current one.</summary>
    public double EpochsDone => Cursor.Epoch + (double)Cursor.Position / (BatchesPerEpoch * _batchSize);

    /// <summary>Moves to a cursor read from a checkpoint: the next batch is the one the checkpointed run would have drawn.</summary>
    public void Seek(DataCursor cursor) => Cursor = cursor;

    public Batch Next()
    {
        if (Cursor.Position + _batchSize > _split.Count)
        {
            Cursor = new DataCursor(Cursor.Epoch + 1, 0);
        }

        if (_orderEpoch != Cursor.Epoch)
        {
            _order?.Dispose();
            _order = tensor(DataOrder.Permutation(_split.Count, _seed, Cursor.Epoch), device: _device).DetachFromDisposeScope();
            _orderEpoch = Cursor.Epoch;
        }

        using var indices = _order!.narrow(0, Cursor.Position, _batchSize);
        Cursor = Cursor with { Position = Cursor.Position + _batchSize };
        return _split.Gather(indices);
    }

    public void Dispose() => _order?.Dispose();
}
