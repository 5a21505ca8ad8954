using System.Threading.Channels;

namespace GreenTrain.Scheduler.Sweeps.Service;

/// <summary>Wakes this replica's sweep runner when a sweep is posted here; the runner also looks at the store on its own, so a wake is only a shortcut.</summary>
public sealed class SweepSignal
{
    private readonly Channel<bool> _wakes = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });

    public void Wake() => _wakes.Writer.TryWrite(true);

    public async Task WaitAsync(CancellationToken cancellationToken) => await _wakes.Reader.ReadAsync(cancellationToken);
}
