using System.Threading.Channels;
using GreenTrain.ServiceDefaults.Contracts;

namespace GreenTrain.Trainer.Energy.Sinks;

/// <summary>
/// Hands closed windows to another sink on a background task, so a window boundary costs the training thread a
/// queue write instead of the inner sink's work (the run folder's writer flushes each window to disk: milliseconds).
/// Windows keep their order. Dispose waits until every queued window is written, then disposes the inner sink;
/// a crash loses the open window and any window still queued (normally none: a write takes milliseconds, a window seconds).
/// </summary>
public sealed class BackgroundEnergyWindowSink : IEnergyWindowSink, IDisposable
{
    private readonly IEnergyWindowSink _inner;
    private readonly Channel<EnergyWindow> _queue = Channel.CreateUnbounded<EnergyWindow>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Task _writer;

    public BackgroundEnergyWindowSink(IEnergyWindowSink inner)
    {
        _inner = inner;
        _writer = Task.Run(WriteAsync);
    }

    /// <summary>Written at once: it comes before the first window, and a report needs it.</summary>
    public void WriteRunInfo(EnergyRunInfo info) => _inner.WriteRunInfo(info);

    public void Append(EnergyWindow window)
    {
        if (!_queue.Writer.TryWrite(window))
        {
            throw new ObjectDisposedException(nameof(BackgroundEnergyWindowSink), "Energy windows cannot be appended after the sink was disposed.");
        }
    }

    private async Task WriteAsync()
    {
        await foreach (var window in _queue.Reader.ReadAllAsync())
        {
            _inner.Append(window);
        }
    }

    /// <summary>Writes what is queued; a write that failed is thrown here, on the thread that ends the run.</summary>
    public void Dispose()
    {
        _queue.Writer.TryComplete();
        try
        {
            _writer.GetAwaiter().GetResult();
        }
        finally
        {
            (_inner as IDisposable)?.Dispose();
        }
    }
}
