namespace GreenTrain.ServiceDefaults.Store;

/// <summary>
/// Every key GreenTrain writes, under one prefix so the store can be shared and inspected.
/// docs/store.md lists each key with its type and owner: change both together.
/// </summary>
public static class StoreKeys
{
    public const string Prefix = "greentrain:";

    /// <summary>Hash: what a service instance last said about itself (owner: each service).</summary>
    public static string Service(string serviceName) => $"{Prefix}service:{serviceName}";

    /// <summary>String counter: how many times a service has started against this store (owner: each service).</summary>
    public static string ServiceStarts(string serviceName) => $"{Prefix}service:{serviceName}:starts";

    /// <summary>String: the value a service's health check writes and reads back (owner: each service).</summary>
    public static string HealthProbe(string serviceName) => $"{Prefix}health:{serviceName}";

    /// <summary>List of JSON EnergyWindow, oldest first (RPUSH): a run's energy per window (owner: Trainer writes, Telemetry reads).</summary>
    public static string EnergyWindows(string experimentId) => $"{Prefix}energy:{experimentId}";

    /// <summary>String, JSON EnergyRunInfo: the run's hardware and step plan (owner: Trainer writes, Telemetry reads).</summary>
    public static string EnergyRunInfo(string experimentId) => $"{Prefix}energy:{experimentId}:run";

    /// <summary>Sorted set: experiment ids that have energy windows, scored by the last window's end (unix s) (owner: Trainer).</summary>
    public const string EnergyExperiments = Prefix + "energy-index";

    /// <summary>Pub/sub channel: an experiment id, published after a window is pushed; only wakes Telemetry early.</summary>
    public const string EnergyUpdatesChannel = Prefix + "energy-updates";
}
