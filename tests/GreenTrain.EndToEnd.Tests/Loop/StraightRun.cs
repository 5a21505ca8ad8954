using System.Diagnostics;
using System.Text.Json;

namespace GreenTrain.EndToEnd.Tests.Loop;

/// <summary>
/// The same spec trained straight through, with the Trainer's own CLI (`train`), for the "nothing was lost"
/// comparison: a run paused, moved or killed must end where an uninterrupted one does.
/// </summary>
internal static class StraightRun
{
    /// <summary>Trains the spec to the end on one CPU thread (as the workers do) and returns its best validation accuracy.</summary>
    public static async Task<double> BestAccuracyAsync(string specJson, string folder, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(folder);
        var spec = Path.Combine(folder, "spec.json");
        await File.WriteAllTextAsync(spec, specJson, cancellationToken);
        var output = Path.Combine(folder, "out");
        var start = new ProcessStartInfo("dotnet", [TrainerDll(), "train", "--config", spec, "--out", output, "--threads", "1", "--device", "cpu"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        process.ExitCode.Should().Be(0, $"the straight run must succeed:\n{await stdout}\n{await stderr}");
        using var result = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(output, "result.json"), cancellationToken));
        return result.RootElement.GetProperty("best").GetProperty("accuracy").GetDouble();
    }

    /// <summary>The Trainer the AppHost runs, built with this test project (any configuration: the newest build).</summary>
    private static string TrainerDll()
    {
        var projectFolder = Path.GetDirectoryName(new Projects.GreenTrain_Trainer().ProjectPath)!;
        return Directory.EnumerateFiles(Path.Combine(projectFolder, "bin"), "GreenTrain.Trainer.dll", SearchOption.AllDirectories)
            .Where(f => !f.Contains(Path.DirectorySeparatorChar + "ref" + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            .OrderByDescending(File.GetLastWriteTimeUtc)
            .First();
    }
}
