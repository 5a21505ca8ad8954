using System.Diagnostics;
using System.Threading.Channels;
using GreenTrain.ServiceDefaults.Contracts;
using GreenTrain.Trainer.Energy;
using GreenTrain.Trainer.Energy.Hosting;
using GreenTrain.Trainer.Energy.Training;
using GreenTrain.Trainer.Engine;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;
using static TorchSharp.torch;

namespace GreenTrain.Trainer.Worker;

/// <summary>
/// A run's energy windows under the worker: the training thread cuts them at step boundaries (after a device
/// sync) whenever the phase changes (train, evaluate, checkpoint) or a train window grows past its length;
/// the meter reads the GPUs on their own threads and hands each window, once read, to a queue that a background
/// task pushes to the store for Telemetry, in order, so the training step waits for neither NVML nor the store. Checkpoint windows cover the copy to host memory; the upload runs in the
/// background during the following train window and is billed there.
/// </summary>
internal sealed class EnergyRecorder : IPhaseEnergy, IAsyncDisposable
{
    private readonly EnergyMeter _meter;
    private readonly StoreEnergyWindowPublisher _publisher;
    private readonly Device _device;
    private readonly TimeSpan _windowLength;
    private readonly ILogger _logger;
    private readonly Channel<EnergyWindow> _closed = Channel.CreateUnbounded<EnergyWindow>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Stopwatch _sinceSwitch = new();
    private readonly PhaseTotals _totals = new();
    private readonly Task _pump;

    /// <param name="createMeter">Makes the meter, given where it publishes windows (this recorder's queue).</param>
    public EnergyRecorder(Func<Action<EnergyWindow>, EnergyMeter> createMeter, StoreEnergyWindowPublisher publisher, Device device, TimeSpan windowLength, ILogger logger)
    {
        _meter = createMeter(window =>
        {
            _totals.Add(window);
            _closed.Writer.TryWrite(window);
        });
        _publisher = publisher;
        _device = device;
        _windowLength = windowLength;
        _logger = logger;
        _pump = Task.Run(PumpAsync);
    }

    /// <summary>Ends the open window (if any) and opens one of <paramref name="phase"/> at <paramref name="step"/>.</summary>
    public void Begin(EnergyPhase phase, long step)
    {
        if (_meter.IsOpen && _meter.Phase == phase) return;
        if (_meter.IsOpen)
        {
            DeviceSync.Synchronize(_device);
            _meter.Switch(phase, step);
        }
        else
        {
            _meter.Open(phase, step);
        }
        _sinceSwitch.Restart();
    }

    /// <summary>Cuts a long train window at this step boundary, so Telemetry sees energy while the run goes on.</summary>
    public void CutIfDue(long step)
    {
        if (!_meter.IsOpen || _sinceSwitch.Elapsed < _windowLength) return;
        DeviceSync.Synchronize(_device);
        _meter.Switch(_meter.Phase!.Value, step);
        _sinceSwitch.Restart();
    }

    public void End(long step)
    {
        if (!_meter.IsOpen) return;
        DeviceSync.Synchronize(_device);
        _meter.Close(step); // waits for the last GPU reading, so the last window is queued before the run ends
    }

    public EnergyMeter Meter => _meter;

    public (double Joules, EnergyMethod? Method) Total(EnergyPhase phase) => _totals.Total(phase);

    private async Task PumpAsync()
    {
        await foreach (var window in _closed.Reader.ReadAllAsync())
        {
            // A store hiccup must not lose a window: try a few times, then log and go on.
            for (var attempt = 1; ; attempt++)
            {
                try
                {
                    await _publisher.PublishAsync(window);
                    break;
                }
                catch (Exception ex) when (ex is RedisException or TimeoutException)
                {
                    WorkerLog.StoreWriteFailed(_logger, window.ExperimentId, ex);
                    if (attempt == 3) break;
                    await Task.Delay(TimeSpan.FromSeconds(attempt));
                }
            }
        }
    }

    /// <summary>Publishes every window closed so far: the meter first (readings still coming), then the queue.</summary>
    public async ValueTask DisposeAsync()
    {
        _meter.Dispose();
        _closed.Writer.TryComplete();
        await _pump;
    }
}
