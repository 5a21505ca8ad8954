using System.Text.Json;
using GreenTrain.ServiceDefaults.Contracts;

namespace GreenTrain.Telemetry.Reports;

/// <summary>
/// Reads a run's output folder: energy.jsonl (required) and energy-run.json (optional). A last line cut
/// short by a crash is skipped and reported, since the writer flushes whole lines; a bad line elsewhere is
/// an error naming its line.
/// </summary>
public static class EnergyFolderReader
{
    public static (IReadOnlyList<EnergyWindow> Windows, EnergyRunInfo? Run, IReadOnlyList<string> Warnings) Read(string folder)
    {
        var windowsPath = Path.Combine(folder, EnergyFiles.WindowsFileName);
        if (!File.Exists(windowsPath))
        {
            throw new FileNotFoundException($"{windowsPath} does not exist: --energy must name a run's output folder holding {EnergyFiles.WindowsFileName}.", windowsPath);
        }
        var warnings = new List<string>();
        var lines = File.ReadAllLines(windowsPath);
        var windows = new List<EnergyWindow>();
        for (var i = 0; i < lines.Length; i++)
        {
            if (string.IsNullOrWhiteSpace(lines[i]))
            {
                continue;
            }
            try
            {
                windows.Add(JsonSerializer.Deserialize<EnergyWindow>(lines[i], EnergyFiles.JsonOptions)
                    ?? throw new JsonException("null window"));
            }
            catch (JsonException ex) when (i == lines.Length - 1)
            {
                warnings.Add($"{windowsPath}, line {i + 1}: skipped an incomplete last window ({ex.Message}).");
            }
            catch (JsonException ex)
            {
                throw new InvalidDataException($"{windowsPath}, line {i + 1}: not an energy window ({ex.Message}).", ex);
            }
        }
        var runPath = Path.Combine(folder, EnergyFiles.RunInfoFileName);
        var run = File.Exists(runPath) ? JsonSerializer.Deserialize<EnergyRunInfo>(File.ReadAllText(runPath), EnergyFiles.JsonOptions) : null;
        return (windows, run, warnings);
    }

    /// <summary>dedup.json of a run with a dedup stage (the share of data removed and the stage's cost), or null.</summary>
    public static DedupSummary? ReadDedup(string folder)
    {
        var path = Path.Combine(folder, DedupSummary.FileName);
        return File.Exists(path) ? JsonSerializer.Deserialize<DedupSummary>(File.ReadAllText(path), ExperimentSpecJson.Options) : null;
    }
}
