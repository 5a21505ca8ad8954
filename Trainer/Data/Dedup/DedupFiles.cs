using System.Text.Json;
using GreenTrain.ServiceDefaults.Contracts;

namespace GreenTrain.Trainer.Data.Dedup;

/// <summary>
/// DIR/dedup.json (the summary) and DIR/dedup-manifest.jsonl (one removed example a line, so a large manifest
/// streams to disk and a user can grep it), each written to a temporary file and renamed.
/// </summary>
public static class DedupFiles
{
    public static void Write(string folder, DedupSummary summary, IEnumerable<RemovedExample> removed)
    {
        Directory.CreateDirectory(folder);
        var manifest = Path.Combine(folder, DedupSummary.ManifestFileName);
        using (var writer = new StreamWriter(manifest + ".tmp"))
        {
            var compact = new JsonSerializerOptions(ExperimentSpecJson.Options) { WriteIndented = false };
            foreach (var entry in removed) writer.WriteLine(JsonSerializer.Serialize(entry, compact));
        }

        File.Move(manifest + ".tmp", manifest, overwrite: true);
        var path = Path.Combine(folder, DedupSummary.FileName);
        File.WriteAllText(path + ".tmp", JsonSerializer.Serialize(summary, ExperimentSpecJson.Options));
        File.Move(path + ".tmp", path, overwrite: true);
    }

    public static DedupSummary ReadSummary(string folder) =>
        JsonSerializer.Deserialize<DedupSummary>(File.ReadAllText(Path.Combine(folder, DedupSummary.FileName)), ExperimentSpecJson.Options)
        ?? throw new InvalidDataException($"{folder}/{DedupSummary.FileName} is empty");

    public static List<RemovedExample> ReadManifest(string folder) =>
        [.. File.ReadLines(Path.Combine(folder, DedupSummary.ManifestFileName)).Select(line => JsonSerializer.Deserialize<RemovedExample>(line, ExperimentSpecJson.Options)!)];
}
