using System.Text;

namespace GreenTrain.Benchmarks.Checkpoints;

/// <summary>The results as a Markdown table, readable in a terminal and pasteable into docs/benchmarks.md.</summary>
public static class BenchmarkTable
{
    public static string Render(IEnumerable<StoreResult> results)
    {
        var table = new StringBuilder()
            .AppendLine("| store | server | size (MiB) | save (MiB/s) | restore (MiB/s) | save (s, median) | restore (s, median) | hand-over (ms, max) |")
            .AppendLine("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |");
        foreach (var r in results)
        {
            table.AppendLine($"| {r.Store} | {r.ServerKind} | {r.SizeMiB} | {r.SaveMiBps:F0} | {r.RestoreMiBps:F0} | {r.MedianSaveSeconds:F2} | {r.MedianRestoreSeconds:F2} | {r.MaxSubmitMilliseconds:F3} |");
        }
        return table.ToString();
    }
}
