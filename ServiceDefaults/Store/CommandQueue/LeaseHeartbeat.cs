using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace GreenTrain.ServiceDefaults.Store.CommandQueue;

/// <summary>
/// Renews one lease every heartbeat interval while a worker handles its command. When the store says the
/// lease is gone (it expired and was requeued, so another worker may run the command), or renewals keep
/// failing past the expiry, <see cref="LeaseLost"/> fires so the worker stops acting on the command.
/// </summary>
public sealed partial class LeaseHeartbeat : IAsyncDisposable
{
    private readonly CommandConsumer _consumer;
    private readonly QueueLease _lease;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stop = new();
    private readonly CancellationTokenSource _lost = new();
    private readonly Task _loop;
    private long _expiresAtMs;

    internal LeaseHeartbeat(CommandConsumer consumer, QueueLease lease, TimeSpan interval, TimeProvider time, ILogger logger)
    {
        _consumer = consumer;
        _lease = lease;
        _time = time;
        _logger = logger;
        _expiresAtMs = lease.ExpiresAt.ToUnixTimeMilliseconds();
        _loop = RunAsync(interval);
    }

    /// <summary>Cancelled once the lease is known or presumed lost.</summary>
    public CancellationToken LeaseLost => _lost.Token;

    /// <summary>The expiry the store gave at the last successful renewal.</summary>
    public DateTimeOffset ExpiresAt => StoreTime.FromUnixMs(Interlocked.Read(ref _expiresAtMs));

    /// <summary>How many renewals the store accepted.</summary>
    public int Renewals { get; private set; }

    private async Task RunAsync(TimeSpan interval)
    {
        using var timer = new PeriodicTimer(interval, _time);
        try
        {
            while (await timer.WaitForNextTickAsync(_stop.Token))
            {
                if (!await RenewOnceAsync())
                {
                    await _lost.CancelAsync();
                    return;
                }
            }
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
            // Disposed: the worker finished with the command.
        }
    }

    /// <summary>False when the lease is lost; a store error only counts as lost once the expiry has passed.</summary>
    private async Task<bool> RenewOnceAsync()
    {
        try
        {
            if (await _consumer.RenewAsync(_lease) is { } expires)
            {
                Interlocked.Exchange(ref _expiresAtMs, expires.ToUnixTimeMilliseconds());
                Renewals++;
                return true;
            }
            LogLost(_logger, _lease.Command.CommandId, _lease.Region);
            return false;
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            var stillValid = _time.GetUtcNow() < ExpiresAt;
            LogRenewFailed(_logger, ex, _lease.Command.CommandId, stillValid);
            return stillValid;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _loop;
        _stop.Dispose();
        // _lost is left undisposed on purpose: a handler may still hold a token linked to it.
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Lost the lease on command {CommandId} of region {Region}: it was requeued and may run elsewhere")]
    private static partial void LogLost(ILogger logger, string commandId, string region);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not renew the lease on command {CommandId}; lease still valid: {StillValid}")]
    private static partial void LogRenewFailed(ILogger logger, Exception exception, string commandId, bool stillValid);
}
