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
}
