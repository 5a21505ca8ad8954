namespace GreenTrain.Scheduler.Tests;

/// <summary>Paths of the recorded data copied beside the test binary.</summary>
internal static class TestData
{
    public static string File(string name) => Path.Combine(AppContext.BaseDirectory, "data", name);

    /// <summary>The Scheduler's own copy of the 2020 traces, copied into its output and so into ours.</summary>
    public static string Trace(string region) =>
        Path.Combine(AppContext.BaseDirectory, "Data", "carbon", $"{region.ToLowerInvariant()}_2020.csv");
}
