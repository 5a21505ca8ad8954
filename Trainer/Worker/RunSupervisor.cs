using GreenTrain.ServiceDefaults.Contracts;
using GreenTrain.ServiceDefaults.Store;
using GreenTrain.ServiceDefaults.Store.Experiments;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace GreenTrain.Trainer.Worker;

/// <summary>
/// Runs beside a training run and tells it, through two flags the training thread reads at every step
/// boundary, what the store says: the desired state (re-read on a pub/sub wake-up for this experiment, and
/// every poll interval in case a message was missed) and whether this worker still owns the run (renewed
/// every heartbeat; lost when the store says another holds it, or when renewals fail past the expiry).
/// </summary>
internal sealed class RunSupervisor : IAsyncDisposable
{
    private readonly ExperimentStore _experiments;
    private readonly ExperimentOwnership _ownership;
    private readonly OwnershipClaim _claim;
    private readonly GreenTrainStore _store;
    private readonly TimeSpan _poll;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stop = new();
    private readonly SemaphoreSlim _wake = new(0, 1);
    private readonly Action<RedisChannel, RedisValue> _onMessage;
    private Task _loop = Task.CompletedTask;
    private volatile int _desired = (int)DesiredRunState.Run;
    private volatile bool _ownershipLost;

    public RunSupervisor(ExperimentStore experiments, ExperimentOwnership ownership, OwnershipClaim claim, GreenTrainStore store, TimeSpan poll, ILogger logger)
    {
        _experiments = experiments;
        _ownership = ownership;
        _claim = claim;
        _store = store;
        _poll = poll;
        _logger = logger;
        _onMessage = (_, message) =>
        {
            if (message == claim.ExperimentId && _wake.CurrentCount == 0)
            {
                try { _wake.Release(); } catch (SemaphoreFullException) { }
            }
        };
    }

    public DesiredRunState Desired => (DesiredRunState)_desired;

    public bool OwnershipLost => _ownershipLost;

    public async Task StartAsync()
    {
        await _store.Connection.GetSubscriber().SubscribeAsync(RedisChannel.Literal(StoreKeys.ControlUpdatesChannel), _onMessage);
        await RefreshDesiredAsync();
        _loop = Task.Run(LoopAsync);
    }

    private async Task LoopAsync()
    {
        var lastRenewal = DateTimeOffset.UtcNow;
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                await _wake.WaitAsync(_poll, _stop.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            try
            {
                await RefreshDesiredAsync();
                if (DateTimeOffset.UtcNow - lastRenewal >= _ownership.RenewEvery)
                {
                    if (!await _ownership.RenewAsync(_claim))
                    {
                        _ownershipLost = true;
                        WorkerLog.OwnershipLost(_logger, _claim.ExperimentId);
                        return;
                    }
                    lastRenewal = DateTimeOffset.UtcNow;
                }
            }
            catch (Exception ex) when (ex is RedisException or TimeoutException)
            {
                WorkerLog.StoreWriteFailed(_logger, _claim.ExperimentId, ex);
                if (DateTimeOffset.UtcNow - lastRenewal >= _ownership.Ttl)
                {
                    // The claim has lapsed by now: another worker may hold the run, so this one must stop.
                    _ownershipLost = true;
                    WorkerLog.OwnershipLost(_logger, _claim.ExperimentId);
                    return;
                }
            }
        }
    }

    private async Task RefreshDesiredAsync()
    {
        if (await _experiments.GetControlAsync(_claim.ExperimentId) is { } control)
        {
            _desired = (int)control.Desired;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _loop;
        try
        {
            await _store.Connection.GetSubscriber().UnsubscribeAsync(RedisChannel.Literal(StoreKeys.ControlUpdatesChannel), _onMessage);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            WorkerLog.StoreWriteFailed(_logger, _claim.ExperimentId, ex);
        }
        _stop.Dispose();
    }
}
