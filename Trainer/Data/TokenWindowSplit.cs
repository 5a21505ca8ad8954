using static TorchSharp.torch;

namespace GreenTrain.Trainer.Data;

/// <summary>
/// A stretch of a token stream cut into non-overlapping windows of the context length; example i is
/// tokens [i*context, (i+1)*context] and its targets are the same window shifted by one token.
/// Fixed windows (rather than nanoGPT's random offsets) make an epoch and a data cursor well defined,
/// so a resumed run reads exactly the batches an uninterrupted one would.
/// </summary>
public sealed class TokenWindowSplit : IDataSplit
{
    private readonly Tensor _tokens;
    private readonly long _start;
    private readonly int _context;
    private readonly Tensor _offsets;

    /// <param name="tokens">int64 [T] on the device, shared by all splits of one corpus (not owned).</param>
    public TokenWindowSplit(Tensor tokens, long start, long length, int context)
    {
        _tokens = tokens;
        _start = start;
        _context = context;
        Count = Math.Max(0, (length - 1) / context);
        _offsets = arange(context + 1, dtype: ScalarType.Int64, device: tokens.device);
    }

    public long Count { get; }

    public long TargetsPerExample => _context;

    public Batch Gather(Tensor indices)
    {
        using var starts = indices.mul(_context).add_(_start).unsqueeze(1);
        using var positions = starts.add(_offsets);
        using var window = _tokens.index(positions);
        return new Batch(window.narrow(1, 0, _context).contiguous(), window.narrow(1, 1, _context).contiguous());
    }
}
