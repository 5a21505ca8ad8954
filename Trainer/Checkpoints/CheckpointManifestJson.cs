using System.Text.Json;

namespace GreenTrain.Trainer.Checkpoints;

/// <summary>
/// The manifest's one JSON form. Reading checks the shape as well as the syntax: a manifest that parses but
/// is incomplete or inconsistent is as unusable as one that does not parse.
/// </summary>
public static class CheckpointManifestJson
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);

    public static string Serialize(CheckpointManifest manifest) => JsonSerializer.Serialize(manifest, Options);

    /// <summary>The manifest, or null with the reason when the text is not a complete, consistent manifest.</summary>
    public static CheckpointManifest? TryDeserialize(string json, out string? problem)
    {
        CheckpointManifest? manifest;
        try
        {
            manifest = JsonSerializer.Deserialize<CheckpointManifest>(json, Options);
        }
        catch (JsonException ex)
        {
            problem = $"not valid JSON: {ex.Message}";
            return null;
        }
        problem = manifest is null ? "empty manifest" : FindProblem(manifest);
        return problem is null ? manifest : null;
    }

    private static string? FindProblem(CheckpointManifest manifest)
    {
        if (manifest.FormatVersion != CheckpointManifest.CurrentFormatVersion)
        {
            return $"format version {manifest.FormatVersion}, expected {CheckpointManifest.CurrentFormatVersion}";
        }
        if (string.IsNullOrEmpty(manifest.CheckpointId) || string.IsNullOrEmpty(manifest.ExperimentId) || manifest.SpecHash is null
            || manifest.Sections is null || manifest.Step < 0)
        {
            return "missing checkpoint id, experiment id, spec hash, step or sections";
        }
        foreach (var section in manifest.Sections)
        {
            if (section?.Name is null || section.Chunks is null || section.Chunks.Any(c => c?.Key is null || c.Sha256 is null))
            {
                return "a section or chunk is incomplete";
            }
            // Checked before any buffer is allocated, so a damaged length cannot ask for terabytes.
            if (section.Chunks.Any(c => c.Length is < 0 or > CheckpointOptions.MaxChunkBytes)
                || section.Chunks.Sum(c => (long)c.Length) != section.Length || section.Length > Array.MaxLength)
            {
                return $"section '{section.Name}' has inconsistent lengths";
            }
        }
        return manifest.Sections.Select(s => s.Name).Distinct().Count() == manifest.Sections.Count ? null : "duplicate section names";
    }
}
