using StackExchange.Redis;

namespace GreenTrain.Testing.Store;

/// <summary>Waits until a freshly started server answers PING: the server's own signal, not a fixed delay.</summary>
internal static class StoreReadiness
{
    public static async Task WaitUntilAnsweringAsync(string connectionString, TimeSpan timeout, Func<string>? diagnostics = null)
    {
        var deadline = DateTime.UtcNow + timeout;
        Exception? last = null;
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                var options = ConfigurationOptions.Parse(connectionString);
                options.AbortOnConnectFail = true;
                options.ConnectTimeout = 1000;
                await using var connection = await ConnectionMultiplexer.ConnectAsync(options);
                await connection.GetDatabase().PingAsync();
                return;
            }
            catch (Exception ex) when (ex is RedisException or TimeoutException)
            {
                last = ex;
                await Task.Yield();
            }
        }
        throw new TimeoutException($"The store at {connectionString} did not answer within {timeout}. {diagnostics?.Invoke()}", last);
    }
}
