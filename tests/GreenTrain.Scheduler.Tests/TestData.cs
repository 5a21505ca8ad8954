namespace GreenTrain.Scheduler.Tests;

/// <summary>Paths of the recorded data copied beside the test binary.</summary>
internal static class TestData
{
    public static string File(string name) => Path.Combine(AppContext.BaseDirectory, "data", name);

    /// <summary>The Scheduler's own copy of the 2020 traces, copied into its output and so into ours.</summary>
    public static string Trace(string region) =>
        Path.Combine(AppContext.BaseDirectory, "Data", "carbon", $"{region.ToLowerInvariant()}_2020.csv");

    /// <summary>The checkout the tests were built from (the folder holding GreenTrain.Aspire.sln), for files shipped in the repository.</summary>
    public static string RepositoryRoot
    {
        get
        {
            for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
            {
                if (System.IO.File.Exists(Path.Combine(folder.FullName, "GreenTrain.Aspire.sln"))) return folder.FullName;
            }
            throw new DirectoryNotFoundException($"no GreenTrain.Aspire.sln above {AppContext.BaseDirectory}");
        }
    }
}
