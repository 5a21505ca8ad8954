namespace GreenTrain.AppHost.Store;

/// <summary>Where the shared store comes from, in the order DESIGN.md gives.</summary>
public enum StoreSource
{
    /// <summary>ConnectionStrings:store names the user's own Redis.</summary>
    ConnectionString,
    /// <summary>A Redis container with a data volume and append-only persistence.</summary>
    RedisContainer,
    /// <summary>A Garnet server inside the AppHost process, persisted under a local folder.</summary>
    EmbeddedGarnet,
}

/// <summary>The store choice as a pure function, so the rules can be tested without starting anything.</summary>
public static class StoreSelection
{
    /// <param name="connectionString">ConnectionStrings:store, if given.</param>
    /// <param name="mode">Store:Mode: auto (default), redis-container or embedded.</param>
    /// <param name="isPublishMode">Publishing always declares the Redis container: Azure runs containers, not our process.</param>
    /// <param name="containerRuntimeHealthy">Asked lazily: probing docker costs a process start.</param>
    public static StoreSource Choose(string? connectionString, string? mode, bool isPublishMode, Func<bool> containerRuntimeHealthy)
    {
        if (!string.IsNullOrWhiteSpace(connectionString))
        {
            return StoreSource.ConnectionString;
        }
        if (isPublishMode)
        {
            return StoreSource.RedisContainer;
        }
        return (mode ?? "auto").Trim().ToLowerInvariant() switch
        {
            "auto" or "" => containerRuntimeHealthy() ? StoreSource.RedisContainer : StoreSource.EmbeddedGarnet,
            "redis-container" => StoreSource.RedisContainer,
            "embedded" => StoreSource.EmbeddedGarnet,
            _ => throw new AppHostConfigurationException("Store:Mode",
                $"'{mode}' is not a store mode; use auto, redis-container or embedded."),
        };
    }
}
