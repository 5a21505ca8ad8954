using Xunit;

namespace GreenTrain.Testing.Store;

/// <summary>Starts the store server a test asks for by kind, so one theory can run against both.</summary>
public static class StoreServers
{
    public static readonly TheoryData<string> Kinds = new() { "redis", "garnet" };

    public static async Task<IStoreServer> StartAsync(string kind) => kind switch
    {
        "redis" => await RedisServerProcess.StartAsync(TempFolder.Create("redis")),
        "garnet" => await GarnetServerInProcess.StartAsync(TempFolder.Create("garnet")),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "expected redis or garnet"),
    };
}

/// <summary>Per-test data folders under the system temp folder, unique so tests can run in parallel.</summary>
public static class TempFolder
{
    public static string Create(string purpose)
    {
        var path = Path.Combine(Path.GetTempPath(), "greentrain-tests", $"{purpose}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(path);
        return path;
    }
}
