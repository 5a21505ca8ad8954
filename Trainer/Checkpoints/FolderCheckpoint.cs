using System.Security.Cryptography;
using System.Text.Json;

namespace GreenTrain.Trainer.Checkpoints;

/// <summary>
/// A checkpoint in a local folder, for runs without the store (a local sweep's trials): one file per section and
/// manifest.json with their SHA-256 sums. The sections go to a fresh folder that is renamed into place only when
/// complete, so a crash leaves the previous checkpoint, never half of a new one.
/// </summary>
public static class FolderCheckpoint
{
    private const string ManifestFile = "manifest.json";

    public static void Save(string folder, CheckpointSnapshot snapshot)
    {
        var staging = folder + ".writing";
        if (Directory.Exists(staging)) Directory.Delete(staging, recursive: true);
        Directory.CreateDirectory(staging);
        var sections = new List<ManifestSection>();
        foreach (var (section, index) in snapshot.Sections.Select((s, i) => (s, i)))
        {
            var file = $"{index:D3}.bin";
            File.WriteAllBytes(Path.Combine(staging, file), section.Data.Span);
            sections.Add(new ManifestSection(section.Name, section.Data.Length,
                [new ManifestChunk(file, section.Data.Length, Convert.ToHexStringLower(SHA256.HashData(section.Data.Span)))]));
        }
        var manifest = new CheckpointManifest(CheckpointManifest.CurrentFormatVersion, $"step-{snapshot.Step}", snapshot.ExperimentId, snapshot.Step,
            snapshot.SpecHash, DateTimeOffset.UtcNow, sections);
        File.WriteAllText(Path.Combine(staging, ManifestFile), JsonSerializer.Serialize(manifest));
        if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
        Directory.Move(staging, folder);
    }

    /// <summary>The checkpoint in the folder, verified; null when there is none. Throws when it is damaged or belongs to another spec.</summary>
    public static LoadedCheckpoint? Load(string folder, string specHash)
    {
        var path = Path.Combine(folder, ManifestFile);
        if (!File.Exists(path)) return null;
        var manifest = JsonSerializer.Deserialize<CheckpointManifest>(File.ReadAllText(path))
            ?? throw new InvalidDataException($"{path} is empty");
        if (manifest.SpecHash != specHash)
        {
            throw new State.CheckpointIncompatibleException($"the checkpoint in {folder} was written for another spec (hash {manifest.SpecHash[..12]}...)");
        }
        var sections = new Dictionary<string, byte[]>();
        foreach (var section in manifest.Sections)
        {
            var chunk = section.Chunks.Single();
            var bytes = File.ReadAllBytes(Path.Combine(folder, chunk.Key));
            if (bytes.Length != chunk.Length || Convert.ToHexStringLower(SHA256.HashData(bytes)) != chunk.Sha256)
            {
                throw new State.CheckpointIncompatibleException($"section {section.Name} of the checkpoint in {folder} differs from its manifest");
            }
            sections[section.Name] = bytes;
        }
        return new LoadedCheckpoint(manifest, sections);
    }
}
