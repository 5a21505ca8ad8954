using StackExchange.Redis;

namespace GreenTrain.AppHost.Store;

/// <summary>
/// What a user's store connection string must say before GreenTrain trusts its state to it: a password outside the
/// local loop, and TLS wherever the provider offers it (Azure Cache for Redis and Azure Managed Redis always do).
/// </summary>
public static class StoreConnectionRules
{
    private static readonly string[] AzureHostSuffixes = [".redis.cache.windows.net", ".redis.azure.net", ".redisenterprise.cache.azure.net"];

    /// <returns>What is wrong, or null when the connection string may be used. Never repeats the password.</returns>
    public static string? Problem(ConfigurationOptions options, bool isPublishMode)
    {
        var azure = options.EndPoints.Any(e => e is System.Net.DnsEndPoint dns
            && AzureHostSuffixes.Any(s => dns.Host.EndsWith(s, StringComparison.OrdinalIgnoreCase)));
        if ((isPublishMode || azure) && string.IsNullOrEmpty(options.Password))
        {
            return "has no password=...; a deployed store must require one (Azure: the access key).";
        }
        if (azure && !options.Ssl)
        {
            return "reaches Azure Redis without TLS; add ssl=true (Azure serves TLS on port 6380, Managed Redis on 10000).";
        }
        return null;
    }
}
